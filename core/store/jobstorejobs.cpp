// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore: jobs and their steps.
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/store/columns.h"
#include "core/store/connection.h"
#include "core/store/rows.h"
#include "core/store/sqlhelpers.h"
#include "jobstore.h"

namespace brieflow {

using namespace db;

namespace {

QString selectJobs()
{
    return QStringLiteral("SELECT ") + columnList(jobs::columns) + QStringLiteral(" FROM jobs");
}

QString selectSteps()
{
    return QStringLiteral("SELECT ") + columnList(steps::columns)
           + QStringLiteral(" FROM job_steps");
}

bool isQueued(JobStatus status)
{
    return status == JobStatus::Pending || status == JobStatus::Processing;
}

QString whereClause(const JobQuery &query, Binds &binds)
{
    QStringList where;
    if (query.status) {
        where << QStringLiteral("status = :status");
        binds.append({QStringLiteral(":status"), toString(*query.status)});
    }
    if (!query.text.isEmpty()) {
        where << QStringLiteral("input_payload LIKE :text ESCAPE '\\'");
        binds.append({QStringLiteral(":text"), containsPattern(query.text)});
    }
    if (!query.ids.isEmpty()) {
        where << QStringLiteral("id") + inIds;
        binds.append({QStringLiteral(":ids"), idArray(query.ids)});
    }
    return where.isEmpty() ? QString()
                           : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
}

QString orderClause(const JobQuery &query)
{
    const QString dir = query.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    switch (query.sort) {
    case JobSort::Default:
        break;
    case JobSort::Created:
        return QStringLiteral(" ORDER BY created_at") + dir + QStringLiteral(", id") + dir;
    case JobSort::Product:
        // Payloads are written as JSON, but a foreign row must not make the whole query fail.
        return QStringLiteral(" ORDER BY (CASE WHEN json_valid(input_payload) THEN"
                              " json_extract(input_payload, '$.product_name') END)"
                              " COLLATE NOCASE")
               + dir + QStringLiteral(", created_at DESC, id DESC");
    case JobSort::Status:
        return QStringLiteral(" ORDER BY CASE status WHEN 'processing' THEN 0 WHEN 'pending' THEN 1"
                              " WHEN 'needs_attention' THEN 2 WHEN 'failed' THEN 3"
                              " WHEN 'canceled' THEN 4 WHEN 'succeeded' THEN 5 ELSE 6 END")
               + dir + QStringLiteral(", queue_position, id");
    case JobSort::QueuePosition:
        return QStringLiteral(" ORDER BY queue_position") + dir + QStringLiteral(", id") + dir;
    }
    if (query.status && isQueued(*query.status))
        return QStringLiteral(" ORDER BY queue_position, id");
    if (query.status)
        return QStringLiteral(" ORDER BY created_at DESC, id DESC");
    return QStringLiteral(
        " ORDER BY CASE WHEN status IN ('pending', 'processing') THEN 0 ELSE 1 END,"
        " CASE WHEN status IN ('pending', 'processing') THEN queue_position END,"
        " created_at DESC, id DESC");
}

} // namespace

Result<JobRecord, StoreError> JobStore::createJob(const NewJob &newJob)
{
    return createJob(newJob, JobId());
}

Result<JobRecord, StoreError> JobStore::createJob(const NewJob &newJob, const JobId &sourceJob)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());

    const auto position = selectValue(
        *m_db, QStringLiteral("SELECT COALESCE(MAX(queue_position), 0) + 1 FROM jobs"), {});
    if (!position)
        return fail(position.error());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    JobRecord job;
    job.id = JobId::generate();
    job.workflowType = newJob.workflowType;
    job.status = JobStatus::Pending;
    job.inputPayload = newJob.inputPayload;
    job.queuePosition = position->toLongLong();
    job.createdAt = now;
    job.updatedAt = now;
    const auto inserted = write(*m_db,
                                QStringLiteral("INSERT INTO jobs (") + columnList(jobs::columns)
                                    + QStringLiteral(") VALUES (") + placeholderList(jobs::columns)
                                    + QLatin1Char(')'),
                                rowBinds(jobs::columns, jobRow(job)));
    if (!inserted)
        return fail(inserted.error());

    const QString insertStep = QStringLiteral("INSERT INTO job_steps (")
                               + columnList(steps::columns) + QStringLiteral(") VALUES (")
                               + placeholderList(steps::columns) + QLatin1Char(')');
    for (qsizetype i = 0; i < newJob.stepNames.size(); ++i) {
        StepRecord step;
        step.id = StepId::generate();
        step.jobId = job.id;
        step.name = newJob.stepNames.at(i);
        step.ordinal = static_cast<int>(i);
        step.status = StepStatus::Pending;
        const auto stepInserted = write(*m_db, insertStep, rowBinds(steps::columns, stepRow(step)));
        if (!stepInserted)
            return fail(stepInserted.error());
    }

    QJsonObject data{{QStringLiteral("workflow_type"), newJob.workflowType},
                     {QStringLiteral("steps"), QJsonArray::fromStringList(newJob.stepNames)}};
    if (!sourceJob.isNull())
        data.insert(QStringLiteral("source_job"), sourceJob.toString());
    const auto logged = appendEvent(
        job.id, StepId(), QStringLiteral("created"),
        sourceJob.isNull() ? QStringLiteral("Job created")
                           : QStringLiteral("Job created from job %1").arg(sourceJob.toString()),
        QJsonDocument(data).toJson(QJsonDocument::Compact));
    if (!logged)
        return fail(logged.error());

    const auto committed = tx->commit();
    if (!committed)
        return fail(committed.error());
    return job;
}

Result<std::optional<JobRecord>, StoreError> JobStore::job(const JobId &id) const
{
    assertOwnerThread();
    return selectOne(*m_db, selectJobs() + QStringLiteral(" WHERE id = :id"),
                     {{QStringLiteral(":id"), id.toString()}}, readJob);
}

Result<QList<JobRecord>, StoreError> JobStore::jobs(const JobQuery &query) const
{
    assertOwnerThread();
    if (query.sort == JobSort::Default && !query.status)
        return queueThenHistory(query);
    Binds binds;
    QString sql = selectJobs() + whereClause(query, binds) + orderClause(query);
    sql += QStringLiteral(" LIMIT :limit OFFSET :offset");
    binds.append({QStringLiteral(":limit"), query.limit > 0 ? query.limit : -1});
    binds.append({QStringLiteral(":offset"), qMax(query.offset, 0)});
    return selectRows(*m_db, sql, binds, readJob);
}

Result<QList<JobRecord>, StoreError> JobStore::queueThenHistory(const JobQuery &query) const
{
    // The default order, as two index walks instead of one sort over every job: the queued jobs
    // by the partial index jobs_runnable (its WHERE clause repeated word for word), then the
    // rest newest first by jobs_created. Same rows, same order as orderClause()'s CASE form,
    // which has to sort the whole table for every page.
    const QString queued = QStringLiteral(" status IN ('pending', 'processing')");
    JobQuery filter = query;
    filter.status.reset();
    Binds binds;
    QString where = whereClause(filter, binds);
    where += where.isEmpty() ? QStringLiteral(" WHERE") : QStringLiteral(" AND");
    const auto queuedCount =
        selectValue(*m_db, QStringLiteral("SELECT count(*) FROM jobs") + where + queued, binds);
    if (!queuedCount)
        return fail(queuedCount.error());
    const qint64 inQueue = queuedCount->toLongLong();
    const qint64 offset = qMax(query.offset, 0);
    qint64 wanted = query.limit > 0 ? query.limit : std::numeric_limits<qint64>::max();

    QList<JobRecord> rows;
    if (offset < inQueue) {
        Binds page = binds;
        page.append({QStringLiteral(":limit"), query.limit > 0 ? query.limit : -1});
        page.append({QStringLiteral(":offset"), offset});
        auto first = selectRows(*m_db,
                                selectJobs() + where + queued
                                    + QStringLiteral(" ORDER BY queue_position, created_at DESC,"
                                                     " id DESC LIMIT :limit OFFSET :offset"),
                                page, readJob);
        if (!first)
            return fail(first.error());
        rows = std::move(first).value();
        wanted -= rows.size();
    }
    if (wanted <= 0)
        return rows;
    Binds page = binds;
    page.append({QStringLiteral(":limit"), query.limit > 0 ? wanted : -1});
    page.append({QStringLiteral(":offset"), qMax<qint64>(0, offset - inQueue)});
    auto rest =
        selectRows(*m_db,
                   selectJobs() + where + QStringLiteral(" NOT") + queued
                       + QStringLiteral(" ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET "
                                        ":offset"),
                   page, readJob);
    if (!rest)
        return fail(rest.error());
    rows += rest.value();
    return rows;
}

Result<int, StoreError> JobStore::countJobs(const JobQuery &query) const
{
    assertOwnerThread();
    Binds binds;
    const QString sql = QStringLiteral("SELECT count(*) FROM jobs") + whereClause(query, binds);
    const auto value = selectValue(*m_db, sql, binds);
    if (!value)
        return fail(value.error());
    return value->toInt();
}

Result<QList<JobRecord>, StoreError> JobStore::runnableJobs(const QDateTime &now, int limit) const
{
    assertOwnerThread();
    // Walks jobs_runnable in queue order and stops at the limit. Without statistics SQLite
    // would pick jobs_status_queue and sort every queued job on each call (quadratic over a
    // long queue), hence INDEXED BY; the WHERE clause repeats the index's word for word.
    return selectRows(*m_db,
                      QStringLiteral("SELECT ") + columnList(jobs::columns)
                          + QStringLiteral(" FROM jobs INDEXED BY jobs_runnable"
                                           " WHERE status IN ('pending', 'processing')"
                                           " AND (run_after IS NULL OR run_after <= :now)"
                                           " ORDER BY queue_position LIMIT :limit"),
                      {{QStringLiteral(":now"), now.toMSecsSinceEpoch()},
                       {QStringLiteral(":limit"), limit > 0 ? limit : -1}},
                      readJob);
}

Result<QDateTime, StoreError> JobStore::nextRunAfter(const QDateTime &now) const
{
    assertOwnerThread();
    const auto value = selectValue(
        *m_db,
        // "+status": without statistics the planner would walk every queued job by status;
        // the few rows with a run_after are found through jobs_run_after instead.
        QStringLiteral("SELECT min(run_after) FROM jobs WHERE +status IN ('pending', 'processing')"
                       " AND run_after > :now"),
        {{QStringLiteral(":now"), now.toMSecsSinceEpoch()}});
    if (!value)
        return fail(value.error());
    return timeFrom(*value);
}

Result<QHash<JobStatus, int>, StoreError> JobStore::jobCounts() const
{
    assertOwnerThread();
    const auto rows = selectRows(
        *m_db, QStringLiteral("SELECT status, count(*) FROM jobs GROUP BY status"), {},
        [](const QSqlQuery &q) { return std::pair(q.value(0).toString(), q.value(1).toInt()); });
    if (!rows)
        return fail(rows.error());
    QHash<JobStatus, int> counts;
    for (const JobStatus status :
         {JobStatus::Pending, JobStatus::Processing, JobStatus::Succeeded, JobStatus::Failed,
          JobStatus::Canceled, JobStatus::NeedsAttention})
        counts.insert(status, 0);
    for (const auto &[name, count] : *rows) {
        const auto status = jobStatusFromString(name);
        if (!status)
            return fail(m_db->error(StoreError::Kind::Corrupt,
                                    QStringLiteral("unknown jobs.status value '%1'").arg(name)));
        counts[*status] = count;
    }
    return counts;
}

Result<QHash<JobStatus, int>, StoreError>
JobStore::jobCountsFor(const QList<JobStatus> &statuses) const
{
    assertOwnerThread();
    QHash<JobStatus, int> counts;
    for (const JobStatus status : statuses)
        counts.insert(status, 0);
    if (counts.contains(JobStatus::Pending) || counts.contains(JobStatus::Processing)) {
        // The WHERE clause repeats jobs_runnable's word for word so the planner walks that
        // (small) partial index instead of the table.
        const auto rows =
            selectRows(*m_db,
                       QStringLiteral("SELECT status = 'processing', count(*) FROM jobs"
                                      " WHERE status IN ('pending', 'processing') GROUP BY 1"),
                       {}, [](const QSqlQuery &q) {
                           return std::pair(q.value(0).toBool(), q.value(1).toInt());
                       });
        if (!rows)
            return fail(rows.error());
        for (const auto &[processing, count] : *rows) {
            const JobStatus status = processing ? JobStatus::Processing : JobStatus::Pending;
            if (counts.contains(status))
                counts[status] = count;
        }
    }
    const QString byStatus = QStringLiteral("SELECT count(*) FROM jobs WHERE status = :status");
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (isQueued(it.key()))
            continue;
        // An equality on the first column of jobs_status_queue: one index range, no table rows.
        const auto value =
            selectValue(*m_db, byStatus, {{QStringLiteral(":status"), toString(it.key())}});
        if (!value)
            return fail(value.error());
        it.value() = value->toInt();
    }
    return counts;
}

Result<void, StoreError> JobStore::updateJobStatus(const JobId &id, JobStatus status,
                                                   const QString &currentStep,
                                                   const QString &errorType,
                                                   const QString &errorMessage)
{
    return updateJobState(id, JobState{status, currentStep, errorType, errorMessage, {}});
}

Result<void, StoreError> JobStore::updateJobState(const JobId &id, const JobState &state)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    JobRecord job;
    job.id = id;
    job.status = state.status;
    job.currentStep = state.currentStep;
    job.errorType = state.errorType;
    job.errorMessage = state.errorMessage;
    job.runAfter = state.runAfter;
    job.updatedAt = QDateTime::currentDateTimeUtc();
    const auto changed = write(
        *m_db,
        QStringLiteral("UPDATE jobs SET ")
            + assignments(jobs::columns, {jobs::Status, jobs::CurrentStep, jobs::ErrorType,
                                          jobs::ErrorMessage, jobs::UpdatedAt, jobs::RunAfter})
            + QStringLiteral(" WHERE id = :id"),
        rowBinds(jobs::columns, jobRow(job),
                 {jobs::Id, jobs::Status, jobs::CurrentStep, jobs::ErrorType, jobs::ErrorMessage,
                  jobs::UpdatedAt, jobs::RunAfter}));
    if (!changed)
        return fail(changed.error());
    if (*changed == 0)
        return fail(
            m_db->error(StoreError::Kind::NotFound, QStringLiteral("job ") + id.toString()));
    return tx->commit();
}

Result<void, StoreError> JobStore::setJobOutput(const JobId &id, const QByteArray &outputPayload)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    JobRecord job;
    job.id = id;
    job.outputPayload = outputPayload;
    job.updatedAt = QDateTime::currentDateTimeUtc();
    const auto changed = write(
        *m_db,
        QStringLiteral("UPDATE jobs SET ")
            + assignments(jobs::columns, {jobs::OutputPayload, jobs::UpdatedAt})
            + QStringLiteral(" WHERE id = :id"),
        rowBinds(jobs::columns, jobRow(job), {jobs::Id, jobs::OutputPayload, jobs::UpdatedAt}));
    if (!changed)
        return fail(changed.error());
    if (*changed == 0)
        return fail(
            m_db->error(StoreError::Kind::NotFound, QStringLiteral("job ") + id.toString()));
    return tx->commit();
}

Result<void, StoreError> JobStore::deleteJob(const JobId &id)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    // ON DELETE CASCADE removes its steps, calls, outputs and events.
    const auto changed = write(*m_db, QStringLiteral("DELETE FROM jobs WHERE id = :id"),
                               {{QStringLiteral(":id"), id.toString()}});
    if (!changed)
        return fail(changed.error());
    if (*changed == 0)
        return fail(
            m_db->error(StoreError::Kind::NotFound, QStringLiteral("job ") + id.toString()));
    return tx->commit();
}

Result<QList<StepRecord>, StoreError> JobStore::steps(const JobId &id) const
{
    assertOwnerThread();
    return selectRows(*m_db,
                      selectSteps() + QStringLiteral(" WHERE job_id = :job_id ORDER BY ordinal"),
                      {{QStringLiteral(":job_id"), id.toString()}}, readStep);
}

Result<std::optional<StepRecord>, StoreError> JobStore::step(const StepId &id) const
{
    assertOwnerThread();
    return selectOne(*m_db, selectSteps() + QStringLiteral(" WHERE id = :id"),
                     {{QStringLiteral(":id"), id.toString()}}, readStep);
}

Result<void, StoreError> JobStore::updateStep(const StepRecord &step)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto changed =
        write(*m_db,
              QStringLiteral("UPDATE job_steps SET ")
                  + assignments(steps::columns,
                                {steps::Status, steps::AttemptCount, steps::InputPayload,
                                 steps::OutputPayload, steps::ErrorType, steps::ErrorMessage,
                                 steps::StartedAt, steps::CompletedAt})
                  + QStringLiteral(" WHERE id = :id"),
              rowBinds(steps::columns, stepRow(step),
                       {steps::Id, steps::Status, steps::AttemptCount, steps::InputPayload,
                        steps::OutputPayload, steps::ErrorType, steps::ErrorMessage,
                        steps::StartedAt, steps::CompletedAt}));
    if (!changed)
        return fail(changed.error());
    if (*changed == 0) {
        return fail(
            m_db->error(StoreError::Kind::NotFound, QStringLiteral("step ") + step.id.toString()));
    }
    return tx->commit();
}

} // namespace brieflow
