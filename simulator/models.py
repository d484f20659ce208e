"""Every model, imported once so that Alembic and the ORM see the whole schema."""
from simulator.auth.models import LoginSession, User  # noqa: F401
from simulator.exams.models import (  # noqa: F401
    Attempt, AuditEvent, CandidateAccommodation, Cohort, CohortMember, DraftSave, ExamGroup, ExamSession, HandIn, TimeGrant,
    Upload,
)
from simulator.referentiels.models import Bloc, Certification, Competence, Criterion, Modality  # noqa: F401
from simulator.scenarios.models import DraftFile, Scenario, ScenarioAsset, ScenarioDraft, ScenarioVersion  # noqa: F401
from simulator.grading.models import (  # noqa: F401
    Assignment, Conflict, EvaluatorProfile, FinalDecision, Production, Qualification, Rating, Signature, Verdict,
)
from simulator.roleplay.models import Conversation, Exchange  # noqa: F401
from simulator.recording.models import Piece, Take  # noqa: F401
