//! Situational assessments in SQL: authoring, attempts (start, retake after
//! the cool-down, hand-in), the question channel and grading. Grading writes
//! the assessment evidence into the worker's skill claim in its own
//! transaction, so a grade is never without its evidence.
//!
//! Visibility: an exchange-wide assessment (no business) is seen by everyone;
//! a business's own by that business, operators, and workers of its pool
//! (booked with it) or who took it. Attempts, their answers and questions are
//! seen by the worker, the owning business (its own assessments only) and
//! operators; anyone else gets "not found".

use jiff::tz::TimeZone;
use jiff::Timestamp;
use slivers_core::assessments::{self, check_answer_text, Answer, AssessmentSpec, Grade};
use slivers_core::ids::{BusinessId, UserId, WorkerId};
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode};
use slivers_core::validation::Collector;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::events::{append, bind_all, Draft, Where};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::assessments::*;
use crate::error::Conflict;
use crate::model::{Actor, Page, Scope};
use crate::{Result, StoreError};

const ACOLS: &str = "id, business_id, spec_json, created_at";
const TCOLS: &str = "t.id, t.assessment_id, t.worker_id, t.attempt, t.status, t.started_at, t.deadline_at, t.submitted_at, \
    t.answers_json, t.graded_at, t.reviewer, t.grade_json, t.score, t.max_score, t.level, t.passed, a.spec_json, \
    (SELECT COUNT(*) FROM assessment_questions q WHERE q.attempt_id = t.id) AS asked, \
    (SELECT COUNT(*) FROM assessment_questions q WHERE q.attempt_id = t.id AND q.relevant = 1) AS relevant_n";
const QCOLS: &str = "id, attempt_id, body, asked_at, answer, answered_at, answered_by, answered_live, relevant";

fn corrupt(what: &str, v: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("assessments.{what}: {v}"))
}

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T> {
    let s: String = get(row, col)?;
    serde_json::from_str(&s).map_err(|e| corrupt(col, e))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| corrupt("json", e))
}

fn opt_ts(row: &AnyRow, col: &str) -> Result<Option<Timestamp>> {
    get::<Option<i64>>(row, col)?.map(from_ts).transpose()
}

fn small(row: &AnyRow, col: &str) -> Result<u32> {
    let v: i64 = get(row, col)?;
    u32::try_from(v).map_err(|e| corrupt(col, e))
}

/// "15 Nov 2026 at 10:00 UTC": how a refusal names an instant.
pub(crate) fn when(t: Timestamp) -> String {
    t.strftime("%-d %b %Y at %H:%M UTC").to_string()
}

fn assessment(row: &AnyRow) -> Result<Assessment> {
    Ok(Assessment {
        id: get(row, "id")?,
        business_id: get::<Option<i64>>(row, "business_id")?.map(BusinessId),
        spec: json(row, "spec_json")?,
        created_at: from_ts(get(row, "created_at")?)?,
    })
}

fn attempt(row: &AnyRow) -> Result<AssessmentAttempt> {
    let spec: AssessmentSpec = json(row, "spec_json")?;
    let status: String = get(row, "status")?;
    let deadline_at = from_ts(get(row, "deadline_at")?)?;
    let submitted_at = opt_ts(row, "submitted_at")?;
    let graded_at = opt_ts(row, "graded_at")?;
    let passed = get::<Option<i64>>(row, "passed")?.map(|p| p != 0);
    let level = match get::<Option<i64>>(row, "level")? {
        Some(l) => Some(Level::new(u8::try_from(l).map_err(|e| corrupt("level", e))?).map_err(|e| corrupt("level", e))?),
        None => None,
    };
    let grade = match get::<Option<String>>(row, "grade_json")? {
        Some(g) => Some(serde_json::from_str(&g).map_err(|e| corrupt("grade_json", e))?),
        None => None,
    };
    let retake_opens_at = match (passed, graded_at) {
        (Some(false), Some(g)) => Some(assessments::retake_opens(g, spec.cool_down_days)),
        _ => None,
    };
    Ok(AssessmentAttempt {
        id: get(row, "id")?,
        assessment_id: get(row, "assessment_id")?,
        worker_id: WorkerId(get(row, "worker_id")?),
        attempt: u8::try_from(get::<i64>(row, "attempt")?).map_err(|e| corrupt("attempt", e))?,
        status: AttemptStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        started_at: from_ts(get(row, "started_at")?)?,
        deadline_at,
        submitted_at,
        late: submitted_at.is_some_and(|s| s > deadline_at),
        answers: json(row, "answers_json")?,
        graded_at,
        reviewer: get::<Option<i64>>(row, "reviewer")?.map(UserId),
        grade,
        score: get::<Option<i64>>(row, "score")?.map(|v| u32::try_from(v).map_err(|e| corrupt("score", e))).transpose()?,
        max_score: get::<Option<i64>>(row, "max_score")?.map(|v| u32::try_from(v).map_err(|e| corrupt("max_score", e))).transpose()?,
        level,
        passed,
        questions_asked: small(row, "asked")?,
        questions_relevant: small(row, "relevant_n")?,
        retake_opens_at,
    })
}

fn question(row: &AnyRow) -> Result<Question> {
    Ok(Question {
        id: get(row, "id")?,
        attempt_id: get(row, "attempt_id")?,
        text: get(row, "body")?,
        asked_at: from_ts(get(row, "asked_at")?)?,
        answer: get(row, "answer")?,
        answered_at: opt_ts(row, "answered_at")?,
        answered_by: get::<Option<i64>>(row, "answered_by")?.map(UserId),
        answered_live: get::<Option<i64>>(row, "answered_live")? == Some(1),
        relevant: get::<Option<i64>>(row, "relevant")?.map(|r| r != 0),
    })
}

/// The assessments `scope` may see, as a clause on table alias `a`.
fn assessment_scope(w: &mut Where, scope: &Scope, alias: &str) {
    match scope {
        Scope::All => {}
        Scope::Business(b) => {
            w.clause(&format!("({alias}.business_id IS NULL OR {alias}.business_id = {{}})"), b.0);
        }
        Scope::Worker(x) => {
            // The business's pool: workers who have been booked with it, or took this one.
            w.clause_each(
                &format!(
                    "({alias}.business_id IS NULL OR {alias}.business_id IN (SELECT b.business_id FROM bookings b WHERE b.worker_id = {{}}) \
                     OR {alias}.id IN (SELECT t2.assessment_id FROM assessment_attempts t2 WHERE t2.worker_id = {{}}))"
                ),
                x.0,
            );
        }
    }
}

/// The attempts `scope` may see: the worker's own; a business's assessments' attempts.
fn attempt_scope(w: &mut Where, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Business(b) => {
            w.eq("a.business_id", b.0);
        }
        Scope::Worker(x) => {
            w.eq("t.worker_id", x.0);
        }
    }
}

/// The worker an actor is, or `Forbidden`.
fn acting_worker(actor: &Actor) -> Result<WorkerId> {
    actor.scope.worker().ok_or(StoreError::Forbidden("only the worker taking an assessment does this"))
}

/// Staff who may answer and grade: operators, or a business for its own (the
/// attempt is read in its scope first, so another's is already not found).
fn require_staff(actor: &Actor) -> Result<()> {
    if actor.scope.worker().is_some() {
        return Err(StoreError::Forbidden("only the exchange's staff (or the business, for its own assessments) answer and grade"));
    }
    Ok(())
}

fn refused(rule: &'static str, reason: String) -> StoreError {
    StoreError::Conflict(Conflict::Refused { rule, reason })
}

impl SqlStore {
    async fn attempt_in(&self, tx: &mut Tx, id: i64, scope: &Scope, lock: bool) -> Result<AssessmentAttempt> {
        let mut w = Where::default();
        w.eq("t.id", id);
        attempt_scope(&mut w, scope);
        if lock {
            // Locked on its own: PostgreSQL refuses FOR UPDATE beside the counting subqueries.
            let sql = format!("SELECT id FROM assessment_attempts WHERE id = $1{}", self.for_update());
            sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
        }
        let sql = format!("SELECT {TCOLS} FROM assessment_attempts t JOIN assessments a ON a.id = t.assessment_id{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&mut **tx).await?.ok_or(StoreError::NotFound("attempt"))?;
        attempt(&row)
    }

    async fn spec_of(tx: &mut Tx, id: i64) -> Result<(AssessmentSpec, Option<BusinessId>)> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {ACOLS} FROM assessments WHERE id = $1")))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        let a = assessment(&row)?;
        Ok((a.spec, a.business_id))
    }

    fn draft<'a>(kind: &'static str, now: Timestamp, actor: &'a Actor, t: &AssessmentAttempt, business: Option<BusinessId>) -> Draft<'a> {
        let mut d = Draft::new(kind, now, actor);
        d.worker = Some(t.worker_id);
        d.business = business;
        d.data = serde_json::json!({ "attempt": t.id, "assessment": t.assessment_id, "number": t.attempt });
        d
    }

    pub(crate) async fn create_assessment_impl(&self, spec: &AssessmentSpec, actor: &Actor, now: Timestamp) -> Result<Assessment> {
        let business = match actor.scope {
            Scope::All => None,
            Scope::Business(b) => Some(b),
            Scope::Worker(_) => return Err(StoreError::Forbidden("operators and businesses author assessments")),
        };
        spec.validate()?;
        let mut tx = self.write().await?;
        let known: Option<String> =
            sqlx::query_scalar("SELECT code FROM skills WHERE code = $1").bind(spec.skill.as_str()).fetch_optional(&mut *tx).await?;
        if known.is_none() {
            return Err(slivers_core::Invalid::one("skill", format!("`{}` is not in the taxonomy", spec.skill.as_str())).into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessments (business_id, skill, title, spec_json, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(business.map(|b| b.0))
        .bind(spec.skill.as_str())
        .bind(spec.title.trim())
        .bind(to_json(spec)?)
        .bind(actor.user.map(|u| u.0))
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        let mut d = Draft::new("assessment.created", now, actor);
        d.business = business;
        d.data = serde_json::json!({ "assessment": id, "skill": spec.skill.as_str() });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(Assessment { id, business_id: business, spec: spec.clone(), created_at: now })
    }

    pub(crate) async fn get_assessment_impl(&self, id: i64, scope: &Scope) -> Result<Assessment> {
        let mut w = Where::default();
        w.eq("a.id", id);
        assessment_scope(&mut w, scope, "a");
        let sql = format!("SELECT a.id, a.business_id, a.spec_json, a.created_at FROM assessments a{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound("assessment"))?;
        assessment(&row)
    }

    pub(crate) async fn list_assessments_impl(&self, scope: &Scope, page: Page) -> Result<Vec<Assessment>> {
        let mut w = Where::default();
        assessment_scope(&mut w, scope, "a");
        let n = w.next_param();
        let sql = format!("SELECT a.id, a.business_id, a.spec_json, a.created_at FROM assessments a{} ORDER BY a.id LIMIT ${n} OFFSET ${}", w.sql(), n + 1);
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        bind_all(sql, &args).fetch_all(&self.pool).await?.iter().map(assessment).collect()
    }

    /// A first attempt, or a retake: only after a failed attempt, and only
    /// once its cool-down has passed (the refusal names when it opens).
    pub(crate) async fn start_attempt_impl(&self, id: i64, actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt> {
        let worker = acting_worker(actor)?;
        let a = self.get_assessment_impl(id, &actor.scope).await?;
        let mut tx = self.write().await?;
        // One start at a time per worker: the worker row is the lock.
        sqlx::query(AssertSqlSafe(format!("SELECT id FROM workers WHERE id = $1{}", self.for_update()))).bind(worker.0).fetch_optional(&mut *tx).await?;
        let prior = sqlx::query(
            "SELECT attempt, status, passed, level, graded_at FROM assessment_attempts WHERE assessment_id = $1 AND worker_id = $2 ORDER BY attempt DESC",
        )
        .bind(id)
        .bind(worker.0)
        .fetch_all(&mut *tx)
        .await?;
        for r in &prior {
            let n: i64 = r.try_get("attempt")?;
            let status: String = r.try_get("status")?;
            if status != "graded" {
                return Err(refused("attempt_in_progress", format!("attempt {n} is still {status}; it is graded before a retake")));
            }
            if r.try_get::<Option<i64>, _>("passed")? == Some(1) {
                let level: Option<i64> = r.try_get("level")?;
                return Err(refused("already_passed", format!("attempt {n} passed at level {}; a retake follows only a fail", level.unwrap_or(0))));
            }
        }
        if let Some(last) = prior.first() {
            let graded = from_ts(last.try_get::<Option<i64>, _>("graded_at")?.ok_or_else(|| corrupt("graded_at", "missing on a graded attempt"))?)?;
            let opens = assessments::retake_opens(graded, a.spec.cool_down_days);
            if now < opens {
                return Err(refused(
                    "cool_down",
                    format!(
                        "a retake opens on {} ({} days after the failed attempt was graded on {})",
                        when(opens),
                        a.spec.cool_down_days,
                        when(graded)
                    ),
                ));
            }
        }
        let number = i64::try_from(prior.len()).map_err(|e| corrupt("attempt", e))? + 1;
        let deadline = now
            .saturating_add(jiff::SignedDuration::from_mins(i64::from(a.spec.time_limit_minutes)))
            .map_err(|e| corrupt("deadline", e))?;
        let new_id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_attempts (assessment_id, worker_id, attempt, status, started_at, deadline_at) VALUES ($1, $2, $3, 'open', $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(worker.0)
        .bind(number)
        .bind(ts(now))
        .bind(ts(deadline))
        .fetch_one(&mut *tx)
        .await?;
        let t = self.attempt_in(&mut tx, new_id, &Scope::All, false).await?;
        let kind = if number > 1 { "assessment.retake_started" } else { "assessment.started" };
        append(&mut tx, Self::draft(kind, now, actor, &t, a.business_id), self.backend).await?;
        tx.commit().await?;
        Ok(t)
    }

    pub(crate) async fn submit_attempt_impl(&self, id: i64, answers: &[Answer], actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt> {
        acting_worker(actor)?;
        let mut tx = self.write().await?;
        let t = self.attempt_in(&mut tx, id, &actor.scope, true).await?;
        if t.status != AttemptStatus::Open {
            return Err(refused("state", format!("attempt {} is already {}", t.attempt, t.status.as_str())));
        }
        let (spec, business) = Self::spec_of(&mut tx, t.assessment_id).await?;
        assessments::validate_answers(&spec, answers)?;
        sqlx::query("UPDATE assessment_attempts SET status = 'submitted', submitted_at = $1, answers_json = $2 WHERE id = $3")
            .bind(ts(now))
            .bind(to_json(&answers)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let t = self.attempt_in(&mut tx, id, &Scope::All, false).await?;
        append(&mut tx, Self::draft("assessment.submitted", now, actor, &t, business), self.backend).await?;
        tx.commit().await?;
        Ok(t)
    }

    pub(crate) async fn ask_question_impl(&self, id: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<Question> {
        acting_worker(actor)?;
        let mut c = Collector::new();
        check_answer_text(&mut c, "text", text);
        c.finish()?;
        let mut tx = self.write().await?;
        let t = self.attempt_in(&mut tx, id, &actor.scope, true).await?;
        if t.status != AttemptStatus::Open {
            return Err(refused("state", format!("questions are asked while the attempt is open; it is {}", t.status.as_str())));
        }
        if now > t.deadline_at {
            return Err(refused("time_up", format!("the time limit ended on {}", when(t.deadline_at))));
        }
        let (_, business) = Self::spec_of(&mut tx, t.assessment_id).await?;
        let qid: i64 = sqlx::query_scalar("INSERT INTO assessment_questions (attempt_id, body, asked_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(id)
            .bind(text.trim())
            .bind(ts(now))
            .fetch_one(&mut *tx)
            .await?;
        // The event says a question was asked, never what: the text stays with the attempt.
        let mut d = Self::draft("assessment.question_asked", now, actor, &t, business);
        d.data["question"] = serde_json::json!(qid);
        append(&mut tx, d, self.backend).await?;
        let q = self.question_in(&mut tx, qid).await?;
        tx.commit().await?;
        Ok(q)
    }

    async fn question_in(&self, tx: &mut Tx, id: i64) -> Result<Question> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {QCOLS} FROM assessment_questions WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound("question"))?;
        question(&row)
    }

    pub(crate) async fn answer_question_impl(&self, id: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<Question> {
        require_staff(actor)?;
        let mut c = Collector::new();
        check_answer_text(&mut c, "text", text);
        c.finish()?;
        let mut tx = self.write().await?;
        let attempt_id: i64 = sqlx::query_scalar("SELECT attempt_id FROM assessment_questions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("question"))?;
        // Read in the actor's scope: another business's question is not found.
        let t = self.attempt_in(&mut tx, attempt_id, &actor.scope, true).await.map_err(|_| StoreError::NotFound("question"))?;
        let q = self.question_in(&mut tx, id).await?;
        if q.answer.is_some() {
            return Err(refused("answered", format!("question {id} was answered on {}", q.answered_at.map_or_else(String::new, when))));
        }
        let live = i64::from(t.status == AttemptStatus::Open);
        sqlx::query("UPDATE assessment_questions SET answer = $1, answered_at = $2, answered_by = $3, answered_live = $4 WHERE id = $5")
            .bind(text.trim())
            .bind(ts(now))
            .bind(actor.user.map(|u| u.0))
            .bind(live)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let (_, business) = Self::spec_of(&mut tx, t.assessment_id).await?;
        let mut d = Self::draft("assessment.question_answered", now, actor, &t, business);
        d.data["question"] = serde_json::json!(id);
        append(&mut tx, d, self.backend).await?;
        let q = self.question_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(q)
    }

    pub(crate) async fn grade_attempt_impl(&self, id: i64, grade: &Grade, actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt> {
        require_staff(actor)?;
        let mut tx = self.write().await?;
        let t = self.attempt_in(&mut tx, id, &actor.scope, true).await?;
        match t.status {
            AttemptStatus::Submitted => {}
            AttemptStatus::Open => return Err(refused("state", format!("attempt {} is not handed in yet", t.attempt))),
            AttemptStatus::Graded => return Err(refused("state", format!("attempt {} is already graded", t.attempt))),
        }
        let (spec, business) = Self::spec_of(&mut tx, t.assessment_id).await?;
        let asked: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM assessment_questions WHERE attempt_id = $1 ORDER BY id").bind(id).fetch_all(&mut *tx).await?;
        grade.validate(&spec, &asked)?;
        let (score, max) = (grade.total(), spec.max_score());
        let level = assessments::level_for(score, max);
        let passed = level >= spec.pass_level;
        sqlx::query(
            "UPDATE assessment_attempts SET status = 'graded', graded_at = $1, reviewer = $2, grade_json = $3, score = $4, max_score = $5, level = $6, passed = $7 WHERE id = $8",
        )
        .bind(ts(now))
        .bind(actor.user.map(|u| u.0))
        .bind(to_json(grade)?)
        .bind(i64::from(score))
        .bind(i64::from(max))
        .bind(i64::from(level.get()))
        .bind(i64::from(passed))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for m in &grade.marks {
            sqlx::query("UPDATE assessment_questions SET relevant = $1 WHERE id = $2 AND attempt_id = $3")
                .bind(i64::from(m.relevant))
                .bind(m.question)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let evidence = Evidence::Assessment { level, graded_at: Some(now.to_zoned(TimeZone::UTC).date()), reviewer: actor.user, attempt: t.attempt };
        append_assessment_evidence(&mut tx, t.worker_id, &spec.skill, evidence.clone(), level, passed).await?;
        let t = self.attempt_in(&mut tx, id, &Scope::All, false).await?;
        let mut d = Self::draft("assessment.graded", now, actor, &t, business);
        d.data["level"] = serde_json::json!(level.get());
        d.data["passed"] = serde_json::json!(passed);
        append(&mut tx, d, self.backend).await?;
        // The change feed reloads the worker's profile on this event.
        let mut d = Draft::new("worker.evidence", now, actor);
        d.worker = Some(t.worker_id);
        d.data = serde_json::json!({ "evidence": evidence, "skills": [spec.skill.as_str()] });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(t)
    }

    pub(crate) async fn get_attempt_impl(&self, id: i64, scope: &Scope) -> Result<AttemptThread> {
        let mut tx = self.read().await?;
        let attempt = self.attempt_in(&mut tx, id, scope, false).await?;
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {QCOLS} FROM assessment_questions WHERE attempt_id = $1 ORDER BY id")))
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let questions = rows.iter().map(question).collect::<Result<Vec<_>>>()?;
        tx.commit().await?;
        Ok(AttemptThread { attempt, questions })
    }

    pub(crate) async fn list_assessment_attempts_impl(&self, f: &AttemptFilter, scope: &Scope, page: Page) -> Result<Vec<AssessmentAttempt>> {
        let mut w = Where::default();
        attempt_scope(&mut w, scope);
        if let Some(a) = f.assessment {
            w.eq("t.assessment_id", a);
        }
        if let Some(x) = f.worker {
            w.eq("t.worker_id", x.0);
        }
        let mut sql = format!("SELECT {TCOLS} FROM assessment_attempts t JOIN assessments a ON a.id = t.assessment_id{}", w.sql());
        if let Some(s) = f.status {
            // A fixed name from the enum, never input text.
            sql.push_str(if w.args.is_empty() { " WHERE " } else { " AND " });
            sql.push_str(&format!("t.status = '{}'", s.as_str()));
        }
        let n = w.next_param();
        sql.push_str(&format!(" ORDER BY t.id LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        bind_all(sql, &args).fetch_all(&self.pool).await?.iter().map(attempt).collect()
    }
}

/// Append `evidence` to the worker's claim on `skill`, creating the claim at
/// the graded level if missing; a pass lifts a lower claim to the graded
/// level (the exchange has now seen the worker work at it).
async fn append_assessment_evidence(tx: &mut Tx, worker: WorkerId, skill: &SkillCode, evidence: Evidence, level: Level, passed: bool) -> Result<()> {
    let row = sqlx::query("SELECT claimed, evidence_json FROM worker_skills WHERE worker_id = $1 AND skill = $2")
        .bind(worker.0)
        .bind(skill.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    let bad = |e: String| StoreError::Corrupt(format!("worker_skills of worker {worker}: {e}"));
    let mut claim = match &row {
        Some(r) => {
            let claimed: i64 = r.try_get("claimed")?;
            let evidence: String = r.try_get("evidence_json")?;
            SkillClaim {
                skill: skill.clone(),
                claimed: Level::new(u8::try_from(claimed).unwrap_or(0)).map_err(|e| bad(e.to_string()))?,
                evidence: serde_json::from_str(&evidence).map_err(|e| bad(e.to_string()))?,
            }
        }
        None => SkillClaim { skill: skill.clone(), claimed: level, evidence: Vec::new() },
    };
    if passed && claim.claimed < level {
        claim.claimed = level;
    }
    claim.evidence.push(evidence);
    let sql = if row.is_some() {
        "UPDATE worker_skills SET evidence_json = $1, effective = $2, claimed = $3 WHERE worker_id = $4 AND skill = $5"
    } else {
        "INSERT INTO worker_skills (evidence_json, effective, claimed, worker_id, skill) VALUES ($1, $2, $3, $4, $5)"
    };
    sqlx::query(sql)
        .bind(serde_json::to_string(&claim.evidence).map_err(|e| bad(e.to_string()))?)
        .bind(i64::from(claim.effective_level().get()))
        .bind(i64::from(claim.claimed.get()))
        .bind(worker.0)
        .bind(skill.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
