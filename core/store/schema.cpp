// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema.h"

#include <QCoreApplication>
#include <QDir>

#include "core/logging.h"
#include "core/store/callfigures_p.h"
#include "core/store/connection.h"
#include "core/version.h"

namespace brieflow {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StoreError", text);
}

// SQLite dialect. Conventions: ids are UUIDv7 strings (newSortableId()), times INTEGER
// milliseconds since the epoch (UTC), JSON payloads UTF-8 TEXT, raw provider bodies BLOB.
// Enum columns have no CHECK constraint on purpose: SQLite can't alter a CHECK, so adding a
// status would need a table rebuild; the store validates the strings on write and on read.
//
// events is append-only. Deleting a job must still cascade to its events, so the DELETE trigger
// only fires while the parent job exists: SQLite runs the cascade after the job row is gone.
// There is no API to update or delete an event either.
const QStringList version1 = {
    QStringLiteral(R"(CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    workflow_type TEXT NOT NULL,
    status TEXT NOT NULL,
    current_step TEXT,
    input_payload TEXT,
    output_payload TEXT,
    error_type TEXT,
    error_message TEXT,
    queue_position INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL))"),
    QStringLiteral("CREATE INDEX jobs_status_queue ON jobs (status, queue_position)"),
    QStringLiteral("CREATE INDEX jobs_queue ON jobs (queue_position)"),
    QStringLiteral("CREATE INDEX jobs_created ON jobs (created_at)"),

    QStringLiteral(R"(CREATE TABLE job_steps (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step_name TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    input_payload TEXT,
    output_payload TEXT,
    error_type TEXT,
    error_message TEXT,
    started_at INTEGER,
    completed_at INTEGER))"),
    QStringLiteral("CREATE UNIQUE INDEX job_steps_job_ordinal ON job_steps (job_id, ordinal)"),

    QStringLiteral(R"(CREATE TABLE provider_calls (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step_id TEXT NOT NULL REFERENCES job_steps (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    model_ref TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    prediction_id TEXT,
    state TEXT NOT NULL,
    provider_status TEXT,
    raw_last_response BLOB,
    metrics TEXT,
    created_at INTEGER NOT NULL,
    submitted_at INTEGER,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER))"),
    // One row per attempt; also the by-step index.
    QStringLiteral(
        "CREATE UNIQUE INDEX provider_calls_step_attempt ON provider_calls (step_id, attempt)"),
    QStringLiteral("CREATE INDEX provider_calls_job ON provider_calls (job_id)"),
    QStringLiteral("CREATE INDEX provider_calls_prediction ON provider_calls (prediction_id) "
                   "WHERE prediction_id IS NOT NULL"),
    // Partial: only the calls a restart must follow. JobStore::unsettledCalls() repeats this
    // WHERE clause word for word so the planner uses the index.
    QStringLiteral("CREATE INDEX provider_calls_unsettled ON provider_calls (state) "
                   "WHERE state IN ('creating', 'submitted', 'unknown')"),

    QStringLiteral(R"(CREATE TABLE outputs (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step_id TEXT REFERENCES job_steps (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    file_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    source_url TEXT,
    created_at INTEGER NOT NULL))"),
    QStringLiteral("CREATE INDEX outputs_job ON outputs (job_id)"),
    QStringLiteral("CREATE INDEX outputs_step ON outputs (step_id) WHERE step_id IS NOT NULL"),
    QStringLiteral("CREATE INDEX outputs_sha256 ON outputs (sha256)"),

    QStringLiteral(R"(CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step_id TEXT REFERENCES job_steps (id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT))"),
    QStringLiteral("CREATE INDEX events_job_time ON events (job_id, time)"),
    QStringLiteral("CREATE INDEX events_step ON events (step_id) WHERE step_id IS NOT NULL"),
    QStringLiteral(R"(CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END)"),
    QStringLiteral(R"(CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN EXISTS (SELECT 1 FROM jobs WHERE id = OLD.job_id)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only; delete the job instead');
END)"),
};

// Version 2: what the pipeline engine needs. Steps use the job status words (running and
// waiting_retry become processing); a job can wait until a time (a step's retry backoff); a
// provider call keeps why it failed; a partial index serves the engine's "what runs next".
const QStringList version2 = {
    QStringLiteral("ALTER TABLE jobs ADD COLUMN run_after INTEGER"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN error_type TEXT"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN error_message TEXT"),
    QStringLiteral("UPDATE job_steps SET status = 'processing' "
                   "WHERE status IN ('running', 'waiting_retry')"),
    QStringLiteral("CREATE INDEX jobs_runnable ON jobs (queue_position) "
                   "WHERE status IN ('pending', 'processing')"),
};

// Version 3: the engine learns each model's usual run time from its recent successes.
const QStringList version3 = {
    QStringLiteral("CREATE INDEX provider_calls_model_done ON provider_calls "
                   "(model_ref, completed_at) WHERE state = 'succeeded'"),
};

// Version 4: the engine asks "when is the next retry due?" after every job; without an index
// that read every queued job (quadratic in the queue's length).
const QStringList version4 = {
    QStringLiteral("CREATE INDEX jobs_run_after ON jobs (run_after) WHERE run_after IS NOT NULL"),
};

// Version 5: the gallery. Images can be starred; the grid pages image outputs newest first
// (outputs_gallery; its WHERE clause is repeated word for word by JobStore's gallery queries),
// counts a job's images in order (outputs_job_images), filters on stars (outputs_starred) and
// on the brief's product name (jobs_product, the expression of JobStore's product filter), and
// deleting images asks whether another row still refers to a file (outputs_file).
const QStringList version5 = {
    QStringLiteral("ALTER TABLE outputs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0"),
    QStringLiteral("CREATE INDEX outputs_gallery ON outputs (created_at, id) "
                   "WHERE mime LIKE 'image/%'"),
    QStringLiteral("CREATE INDEX outputs_job_images ON outputs (job_id, created_at, id) "
                   "WHERE mime LIKE 'image/%'"),
    QStringLiteral("CREATE INDEX outputs_starred ON outputs (created_at, id) WHERE starred = 1"),
    QStringLiteral("CREATE INDEX outputs_file ON outputs (file_path)"),
    QStringLiteral("CREATE INDEX jobs_product ON jobs ((CASE WHEN json_valid(input_payload) THEN "
                   "json_extract(input_payload, '$.product_name') END) COLLATE NOCASE)"),
};

// Version 6: stuck steps. The engine flags a running step whose prediction has gone on far
// longer than it should (past its timeout, or far past the model's usual run time) with a reason
// in plain words; "keep waiting" snoozes the flag; a "retry now" can be requested from another
// process (the CLI) for the engine that runs the job. The job row carries a copy of its flagged
// step's reason for the queue (jobs_stuck lists them). Triggers clear a flag as soon as the step
// moves on, whoever writes it: its status changes, a new attempt is recorded, or the attempt's
// prediction changes state (a provider status change clears the reason only).
const QString clearStepStuck = QStringLiteral(
    "UPDATE job_steps SET stuck_reason = NULL, stuck_since = NULL, stuck_threshold_ms = NULL, "
    "stuck_snoozed_until = NULL, retry_requested_at = NULL");
const QString stepHasStuckState =
    QStringLiteral("(stuck_reason IS NOT NULL OR stuck_snoozed_until IS NOT NULL "
                   "OR retry_requested_at IS NOT NULL)");
const QStringList version6 = {
    QStringLiteral("ALTER TABLE job_steps ADD COLUMN stuck_reason TEXT"),
    QStringLiteral("ALTER TABLE job_steps ADD COLUMN stuck_since INTEGER"),
    QStringLiteral("ALTER TABLE job_steps ADD COLUMN stuck_threshold_ms INTEGER"),
    QStringLiteral("ALTER TABLE job_steps ADD COLUMN stuck_snoozed_until INTEGER"),
    QStringLiteral("ALTER TABLE job_steps ADD COLUMN retry_requested_at INTEGER"),
    QStringLiteral("ALTER TABLE jobs ADD COLUMN stuck_reason TEXT"),
    QStringLiteral("ALTER TABLE jobs ADD COLUMN stuck_since INTEGER"),
    QStringLiteral("CREATE INDEX jobs_stuck ON jobs (stuck_since) WHERE stuck_reason IS NOT NULL"),
    QStringLiteral("CREATE INDEX job_steps_retry_requested ON job_steps (retry_requested_at) "
                   "WHERE retry_requested_at IS NOT NULL"),
    QStringLiteral(
        R"(CREATE TRIGGER job_steps_stuck_clear_on_status AFTER UPDATE OF status ON job_steps
WHEN NEW.status IS NOT OLD.status AND (OLD.stuck_reason IS NOT NULL
    OR OLD.stuck_snoozed_until IS NOT NULL OR OLD.retry_requested_at IS NOT NULL)
BEGIN
    )") + clearStepStuck
        + QStringLiteral(R"( WHERE id = NEW.id;
    UPDATE jobs SET stuck_reason = NULL, stuck_since = NULL WHERE id = NEW.job_id;
END)"),
    QStringLiteral(
        R"(CREATE TRIGGER provider_calls_stuck_clear_on_insert AFTER INSERT ON provider_calls
BEGIN
    )") + clearStepStuck
        + QStringLiteral(" WHERE id = NEW.step_id AND ") + stepHasStuckState + QStringLiteral(R"(;
    UPDATE jobs SET stuck_reason = NULL, stuck_since = NULL
        WHERE id = NEW.job_id AND stuck_reason IS NOT NULL;
END)"),
    QStringLiteral(
        R"(CREATE TRIGGER provider_calls_stuck_clear_on_state AFTER UPDATE OF state ON provider_calls
WHEN NEW.state IS NOT OLD.state
BEGIN
    )") + clearStepStuck
        + QStringLiteral(" WHERE id = NEW.step_id AND ") + stepHasStuckState + QStringLiteral(R"(;
    UPDATE jobs SET stuck_reason = NULL, stuck_since = NULL
        WHERE id = NEW.job_id AND stuck_reason IS NOT NULL;
END)"),
    QStringLiteral(R"(CREATE TRIGGER provider_calls_stuck_clear_on_status
AFTER UPDATE OF provider_status ON provider_calls
WHEN NEW.provider_status IS NOT OLD.provider_status AND NEW.state IS OLD.state
BEGIN
    UPDATE job_steps SET stuck_reason = NULL, stuck_since = NULL
        WHERE id = NEW.step_id AND stuck_reason IS NOT NULL;
    UPDATE jobs SET stuck_reason = NULL, stuck_since = NULL
        WHERE id = NEW.job_id AND stuck_reason IS NOT NULL;
END)"),
};

// Version 7: monitoring. A provider call carries what the Monitoring view sums, sorts and
// groups, so its figures read covering indexes instead of joining three tables and parsing
// JSON for every call: its step's name, its job's brief (product and audience), predict_time
// (seconds), and for a succeeded call its four durations (ms): in our queue (from when the step
// could start to the intent), starting at the provider (created → started), running
// (predict_time) and in all. JobStore::updateCall fills them; existing rows are filled here.
// The durations' indexes let a percentile be read by walking one index in order (no sort).
// Webhook deliveries are kept one row each and counted per hour in a rollup, written in the same
// transaction, so a long range adds up hours instead of reading every delivery.
const QString isoToMs = QStringLiteral(
    "(julianday(json_extract(metrics, '$.%1')) - 2440587.5) * 86400000.0");
const QStringList version7 = {
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN step_name TEXT"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN brief TEXT"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN predict_time REAL"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN queue_ms INTEGER"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN starting_ms INTEGER"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN running_ms INTEGER"),
    QStringLiteral("ALTER TABLE provider_calls ADD COLUMN total_ms INTEGER"),
    QStringLiteral("UPDATE provider_calls SET step_name = ") + db::callStepName
        + QStringLiteral(", brief = ") + db::callBrief,
    QStringLiteral("UPDATE provider_calls SET predict_time = json_extract(metrics, "
                   "'$.predict_time'), running_ms = CAST(round(json_extract(metrics, "
                   "'$.predict_time') * 1000) AS INTEGER), starting_ms = CAST(round(")
        + isoToMs.arg(QStringLiteral("started_at")) + QStringLiteral(" - ")
        + isoToMs.arg(QStringLiteral("created_at"))
        + QStringLiteral(") AS INTEGER) WHERE json_valid(metrics)"),
    QStringLiteral("UPDATE provider_calls SET queue_ms = created_at - ") + db::callReadyAt
        + QStringLiteral(", total_ms = completed_at - ") + db::callReadyAt
        + QStringLiteral(" WHERE state = 'succeeded'"),
    // Calls by intent time: the daily budget's spend, the partial quarter hours of a range.
    QStringLiteral("CREATE INDEX provider_calls_cost_day ON provider_calls "
                   "(created_at, model_ref, predict_time)"),
    // Counts per step × model × state × error type, and the durations' sample counts.
    QStringLiteral("CREATE INDEX provider_calls_figures ON provider_calls (step_name, model_ref, "
                   "state, error_type, created_at, predict_time, prediction_id, queue_ms, "
                   "starting_ms, running_ms, total_ms)"),
    QStringLiteral("CREATE INDEX provider_calls_queue_ms ON provider_calls (step_name, model_ref, "
                   "queue_ms, created_at) WHERE state = 'succeeded'"),
    QStringLiteral("CREATE INDEX provider_calls_starting_ms ON provider_calls (step_name, "
                   "model_ref, starting_ms, created_at) WHERE state = 'succeeded'"),
    QStringLiteral("CREATE INDEX provider_calls_running_ms ON provider_calls (step_name, "
                   "model_ref, running_ms, created_at) WHERE state = 'succeeded'"),
    QStringLiteral("CREATE INDEX provider_calls_total_ms ON provider_calls (step_name, model_ref, "
                   "total_ms, created_at) WHERE state = 'succeeded'"),
    // Cost per job and per brief.
    QStringLiteral("CREATE INDEX provider_calls_job_cost ON provider_calls (job_id, created_at, "
                   "model_ref, predict_time)"),
    QStringLiteral("CREATE INDEX provider_calls_brief_cost ON provider_calls (brief, job_id, "
                   "created_at, model_ref, predict_time)"),
    // Failed attempts (the failure rows' jobs) and retried steps.
    QStringLiteral("CREATE INDEX provider_calls_errors ON provider_calls (created_at, step_name, "
                   "model_ref, error_type, job_id) WHERE error_type IS NOT NULL"),
    QStringLiteral("CREATE INDEX provider_calls_retried ON provider_calls (created_at, step_id) "
                   "WHERE attempt > 1"),
    QStringLiteral("CREATE INDEX jobs_created_status ON jobs (created_at, status)"),
    // The calls counted per quarter hour of their intent (every UTC offset in use is a whole
    // number of quarter hours, so local days add up whole buckets), kept by triggers whoever
    // writes a call; the figures add up buckets and read only the range's partial buckets
    // from provider_calls.
    QStringLiteral(R"(CREATE TABLE call_buckets (
    bucket INTEGER NOT NULL,
    step_name TEXT NOT NULL,
    model_ref TEXT NOT NULL,
    state TEXT NOT NULL,
    error_type TEXT NOT NULL,
    calls INTEGER NOT NULL,
    predictions INTEGER NOT NULL,
    priced INTEGER NOT NULL,
    predict_time REAL NOT NULL,
    queue_n INTEGER NOT NULL,
    starting_n INTEGER NOT NULL,
    running_n INTEGER NOT NULL,
    total_n INTEGER NOT NULL,
    PRIMARY KEY (bucket, step_name, model_ref, state, error_type)))"),
    QStringLiteral("INSERT INTO call_buckets SELECT ") + db::callBucketValues(QStringLiteral(""), 1)
        + QStringLiteral(" FROM provider_calls WHERE true ON CONFLICT DO UPDATE SET ")
        + db::callBucketSums,
    QStringLiteral("CREATE TRIGGER call_buckets_insert AFTER INSERT ON provider_calls BEGIN "
                   "INSERT INTO call_buckets SELECT ")
        + db::callBucketValues(QStringLiteral("NEW."), 1)
        + QStringLiteral(" WHERE true ON CONFLICT DO UPDATE SET ") + db::callBucketSums
        + QStringLiteral("; END"),
    QStringLiteral("CREATE TRIGGER call_buckets_delete AFTER DELETE ON provider_calls BEGIN "
                   "INSERT INTO call_buckets SELECT ")
        + db::callBucketValues(QStringLiteral("OLD."), -1)
        + QStringLiteral(" WHERE true ON CONFLICT DO UPDATE SET ") + db::callBucketSums
        + QStringLiteral("; END"),
    QStringLiteral("CREATE TRIGGER call_buckets_update AFTER UPDATE OF created_at, step_name, "
                   "model_ref, state, error_type, prediction_id, predict_time, queue_ms, "
                   "starting_ms, running_ms, total_ms ON provider_calls WHEN ")
        + db::callBucketChanged + QStringLiteral(" BEGIN "
                   "INSERT INTO call_buckets SELECT ")
        + db::callBucketValues(QStringLiteral("OLD."), -1)
        + QStringLiteral(" WHERE true ON CONFLICT DO UPDATE SET ") + db::callBucketSums
        + QStringLiteral("; INSERT INTO call_buckets SELECT ")
        + db::callBucketValues(QStringLiteral("NEW."), 1)
        + QStringLiteral(" WHERE true ON CONFLICT DO UPDATE SET ") + db::callBucketSums
        + QStringLiteral("; END"),
    QStringLiteral("CREATE INDEX events_kind_time ON events (kind, time)"),
    QStringLiteral(R"(CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    prediction_id TEXT,
    webhook_id TEXT))"),
    QStringLiteral("CREATE INDEX webhook_deliveries_received ON webhook_deliveries "
                   "(received_at, outcome, reason)"),
    QStringLiteral(R"(CREATE TABLE webhook_delivery_hours (
    hour INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    deliveries INTEGER NOT NULL,
    PRIMARY KEY (hour, outcome, reason)))"),
};

const QString versionKey = QStringLiteral("schema_version");

StoreError migrationFailed(const QString &file, int from, int to, const QString &detail)
{
    return StoreError{StoreError::Kind::MigrationFailed, file,
                      tr("Brieflow couldn't upgrade its job database at %1 from schema version %2 "
                         "to %3. Nothing was changed; the file is as it was before.")
                          .arg(QDir::toNativeSeparators(file))
                          .arg(from)
                          .arg(to),
                      detail};
}

bool isEnvironmental(StoreError::Kind kind)
{
    return kind == StoreError::Kind::Busy || kind == StoreError::Kind::DiskFull
           || kind == StoreError::Kind::Io || kind == StoreError::Kind::ReadOnly
           || kind == StoreError::Kind::Corrupt;
}

} // namespace

SchemaMigrator::SchemaMigrator(QList<Migration> migrations)
    : m_migrations(std::move(migrations))
{
    for (qsizetype i = 0; i < m_migrations.size(); ++i)
        Q_ASSERT_X(m_migrations.at(i).version == i + 1, "SchemaMigrator", "versions must be 1..N");
}

const SchemaMigrator &SchemaMigrator::standard()
{
    static const SchemaMigrator migrator({
        Migration{1, QStringLiteral("jobs, steps, provider calls, outputs, events"), version1},
        Migration{2, QStringLiteral("engine scheduling and call errors"), version2},
        Migration{3, QStringLiteral("run-time history per model"), version3},
        Migration{4, QStringLiteral("next retry lookup"), version4},
        Migration{5, QStringLiteral("gallery: starred images and their indexes"), version5},
        Migration{6, QStringLiteral("stuck steps: flag, snooze, retry request"), version6},
        Migration{7, QStringLiteral("monitoring: call timings, webhook deliveries"), version7},
    });
    return migrator;
}

int SchemaMigrator::targetVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

StoreError SchemaMigrator::newerSchemaError(const QString &file, int fileVersion,
                                            int supportedVersion)
{
    return StoreError{
        StoreError::Kind::NewerSchema, file,
        tr("The job database at %1 was written by a newer version of Brieflow (schema version "
           "%2; this version understands up to %3). It was left as it is; update Brieflow, or "
           "move the file aside to start with an empty queue.")
            .arg(QDir::toNativeSeparators(file))
            .arg(fileVersion)
            .arg(supportedVersion),
        QStringLiteral("schema version %1 > %2").arg(fileVersion).arg(supportedVersion)};
}

Result<int, StoreError> SchemaMigrator::readVersion(SqliteConnection &connection)
{
    const auto hasMeta = connection.scalar(QStringLiteral(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"));
    if (!hasMeta)
        return fail(hasMeta.error());
    if (hasMeta->toInt() == 0) {
        const auto objects = connection.scalar(
            QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"));
        if (!objects)
            return fail(objects.error());
        if (objects->toInt() > 0) {
            return fail(connection.error(StoreError::Kind::Corrupt,
                                         QStringLiteral("tables present but no meta table")));
        }
        return 0;
    }
    const auto value = connection.scalar(QStringLiteral("SELECT value FROM meta WHERE key = '")
                                         + versionKey + QLatin1Char('\''));
    if (!value)
        return fail(value.error());
    bool ok = false;
    const int version = value->toString().toInt(&ok);
    if (!ok || version < 0) {
        return fail(
            connection.error(StoreError::Kind::Corrupt,
                             QStringLiteral("bad schema_version '%1'").arg(value->toString())));
    }
    return version;
}

Result<int, StoreError> SchemaMigrator::migrate(SqliteConnection &connection) const
{
    const QString &file = connection.fileName();
    const int target = targetVersion();
    auto tx = WriteTransaction::begin(connection);
    if (!tx)
        return fail(tx.error());
    // Read inside the write lock: another process may have migrated since we last looked.
    const auto from = readVersion(connection);
    if (!from)
        return fail(from.error());
    if (*from > target)
        return fail(newerSchemaError(file, *from, target));
    if (*from == target) {
        tx->rollback();
        return target;
    }

    for (const Migration &migration : m_migrations) {
        if (migration.version <= *from)
            continue;
        if (*from > 0) {
            qCInfo(lcStore) << "migrating" << file << "to schema version" << migration.version
                            << '-' << migration.description;
        }
        for (qsizetype i = 0; i < migration.statements.size(); ++i) {
            const auto done = connection.execDirect(migration.statements.at(i));
            if (!done) {
                if (isEnvironmental(done.error().kind))
                    return fail(done.error());
                return fail(migrationFailed(file, *from, target,
                                            QStringLiteral("migration %1, statement %2: %3")
                                                .arg(migration.version)
                                                .arg(i + 1)
                                                .arg(done.error().detail)));
            }
        }
    }

    const QStringList bookkeeping = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, "
                       "value TEXT NOT NULL)"),
        QStringLiteral("INSERT INTO meta (key, value) VALUES ('%1', '%2') "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .arg(versionKey)
            .arg(target),
        QStringLiteral("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_by', '%1')")
            .arg(QStringLiteral("Brieflow ") + applicationVersion()),
    };
    for (const QString &sql : bookkeeping) {
        const auto done = connection.execDirect(sql);
        if (!done) {
            if (isEnvironmental(done.error().kind))
                return fail(done.error());
            return fail(migrationFailed(file, *from, target, done.error().detail));
        }
    }
    const auto committed = tx->commit();
    if (!committed) {
        if (isEnvironmental(committed.error().kind))
            return fail(committed.error());
        return fail(migrationFailed(file, *from, target, committed.error().detail));
    }
    if (*from > 0)
        qCInfo(lcStore) << "schema of" << file << "is now version" << target;
    else
        qCDebug(lcStore) << "created" << file << "at schema version" << target;
    return target;
}

} // namespace brieflow
