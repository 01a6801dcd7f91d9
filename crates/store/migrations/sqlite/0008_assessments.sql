-- Situational assessments: authored by operators (business_id NULL, open to
-- every worker) or by a business for its pool; attempts with their answers
-- (uploads are kept inline, at most 256 KiB each) and the questions asked
-- while taking one.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id BIGINT REFERENCES businesses(id),
    skill TEXT NOT NULL REFERENCES skills(code),
    title TEXT NOT NULL,
    -- The whole `AssessmentSpec` (scenarios, rubric, limits) as written.
    spec_json TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX assessments_business ON assessments(business_id, id);

CREATE TABLE assessment_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    -- 1 for the first attempt, 2 for the first retake, and so on.
    attempt BIGINT NOT NULL CHECK (attempt >= 1),
    status TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'graded')),
    started_at BIGINT NOT NULL,
    deadline_at BIGINT NOT NULL,
    submitted_at BIGINT,
    answers_json TEXT NOT NULL DEFAULT '[]',
    graded_at BIGINT,
    reviewer BIGINT REFERENCES users(id),
    grade_json TEXT,
    score BIGINT,
    max_score BIGINT,
    level BIGINT CHECK (level BETWEEN 1 AND 5),
    passed BIGINT,
    UNIQUE (assessment_id, worker_id, attempt)
);
CREATE INDEX assessment_attempts_worker ON assessment_attempts(worker_id, id);

CREATE TABLE assessment_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    attempt_id BIGINT NOT NULL REFERENCES assessment_attempts(id),
    body TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    answer TEXT,
    answered_at BIGINT,
    answered_by BIGINT REFERENCES users(id),
    -- 1 when answered while the attempt was still open (live), 0 after.
    answered_live BIGINT,
    -- The reviewer's mark when grading: 1 relevant, 0 not.
    relevant BIGINT
);
CREATE INDEX assessment_questions_attempt ON assessment_questions(attempt_id, id);
