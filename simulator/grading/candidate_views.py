"""Candidates read their released results and their progress per bloc, and download bloc certificates."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user

from simulator.core.access import guard_blueprint
from simulator.extensions import db
from simulator.grading import documents, exports, results
from simulator.grading.pages import competence_texts
from simulator.referentiels.models import Bloc

bp = Blueprint("results", __name__)
guard_blueprint(bp, "candidate")


@bp.route("/")
def index():
    productions = results.released_productions(current_user.id)
    progress = [(c, results.progress(c, current_user.id, released_only=True))
                for c in results.certifications_of(current_user.id)]
    return render_template("grading/candidate_results.html", productions=productions, progress=progress,
                           texts={p.id: competence_texts(p) for p in productions},
                           show_names=current_app.config.get("SHOW_JURY_NAMES", False))


@bp.route("/blocs/<int:bloc_id>/certificate.pdf")
def certificate(bloc_id: int):
    bloc = db.session.get(Bloc, bloc_id)
    document = exports.certificate(current_user, bloc) if bloc else None
    if document is None:
        abort(404)
    return send_file(BytesIO(documents.pdf(document)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificat-{bloc.code}.pdf")
