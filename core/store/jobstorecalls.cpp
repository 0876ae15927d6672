// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore: provider calls, outputs and the event log.
#include <QJsonDocument>
#include <QJsonObject>

#include "core/store/callfigures_p.h"
#include "core/store/columns.h"
#include "core/store/connection.h"
#include "core/store/rows.h"
#include "core/store/sqlhelpers.h"
#include "jobstore.h"

namespace brieflow {

using namespace db;

namespace {

/** The monitoring columns schema 7 derives from a call's metrics: predict_time (seconds),
 *  running_ms, and starting_ms (the provider's created_at → started_at). */
Binds timingBinds(const QByteArray &metrics)
{
    QVariant predictTime(QMetaType::fromType<double>());
    QVariant runningMs(QMetaType::fromType<qlonglong>());
    QVariant startingMs(QMetaType::fromType<qlonglong>());
    const QJsonObject object = QJsonDocument::fromJson(metrics).object();
    if (const QJsonValue v = object.value(QStringLiteral("predict_time")); v.isDouble()) {
        predictTime = v.toDouble();
        runningMs = qRound64(v.toDouble() * 1000);
    }
    const QDateTime created = QDateTime::fromString(
        object.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    const QDateTime started = QDateTime::fromString(
        object.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    if (created.isValid() && started.isValid())
        startingMs = created.msecsTo(started);
    return {{QStringLiteral(":predict_time"), predictTime},
            {QStringLiteral(":running_ms"), runningMs},
            {QStringLiteral(":starting_ms"), startingMs}};
}

QString selectCalls()
{
    return QStringLiteral("SELECT ") + columnList(calls::columns)
           + QStringLiteral(" FROM provider_calls");
}

QString selectOutputs()
{
    return QStringLiteral("SELECT ") + columnList(outputs::columns)
           + QStringLiteral(" FROM outputs");
}

template<std::size_t N>
QString insertInto(const char *table, const Columns<N> &columns)
{
    return QStringLiteral("INSERT INTO ") + QLatin1String(table) + QStringLiteral(" (")
           + columnList(columns) + QStringLiteral(") VALUES (") + placeholderList(columns)
           + QLatin1Char(')');
}

} // namespace

Result<ProviderCallRecord, StoreError> JobStore::recordCallIntent(const JobId &job,
                                                                  const StepId &step, int attempt,
                                                                  const QString &modelRef,
                                                                  const QString &inputSha256)
{
    assertOwnerThread();
    // synchronous=FULL: this row must survive power loss, or a restart could not know that a
    // paid prediction may already exist.
    auto tx = WriteTransaction::begin(*m_db, SqliteConnection::Synchronous::Full);
    if (!tx)
        return fail(tx.error());
    const auto owner =
        selectValue(*m_db, QStringLiteral("SELECT job_id FROM job_steps WHERE id = :id"),
                    {{QStringLiteral(":id"), step.toString()}});
    if (!owner)
        return fail(owner.error());
    if (!owner->isValid())
        return fail(
            m_db->error(StoreError::Kind::NotFound, QStringLiteral("step ") + step.toString()));
    if (owner->toString() != job.toString()) {
        return fail(m_db->error(StoreError::Kind::Constraint,
                                QStringLiteral("step %1 belongs to job %2, not %3")
                                    .arg(step.toString(), owner->toString(), job.toString())));
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    ProviderCallRecord call;
    call.id = ProviderCallId::generate();
    call.jobId = job;
    call.stepId = step;
    call.attempt = attempt;
    call.modelRef = modelRef;
    call.inputSha256 = inputSha256;
    call.state = CallState::Creating;
    call.createdAt = now;
    call.updatedAt = now;
    const auto inserted = write(*m_db, insertInto(calls::table, calls::columns),
                                rowBinds(calls::columns, callRow(call)));
    if (!inserted)
        return fail(inserted.error());
    const auto committed = tx->commit();
    if (!committed)
        return fail(committed.error());
    return call;
}

Result<void, StoreError> JobStore::updateCall(const ProviderCallRecord &call)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    ProviderCallRecord row = call;
    row.updatedAt = QDateTime::currentDateTimeUtc();
    const auto changed = write(
        *m_db,
        QStringLiteral("UPDATE provider_calls SET ")
            + assignments(calls::columns, {calls::PredictionId, calls::State, calls::ProviderStatus,
                                           calls::RawLastResponse, calls::Metrics,
                                           calls::SubmittedAt, calls::UpdatedAt, calls::CompletedAt,
                                           calls::ErrorType, calls::ErrorMessage})
            + QStringLiteral(", predict_time = :predict_time, running_ms = :running_ms, "
                             "starting_ms = :starting_ms, step_name = COALESCE(step_name, ")
            + callStepName + QStringLiteral("), brief = COALESCE(brief, ") + callBrief
            + QStringLiteral("), queue_ms = CASE WHEN :succeeded THEN created_at - ") + callReadyAt
            + QStringLiteral(" END, total_ms = CASE WHEN :succeeded2 THEN :completed2 - ")
            + callReadyAt + QStringLiteral(" END WHERE id = :id"),
        rowBinds(calls::columns, callRow(row),
                 {calls::Id, calls::PredictionId, calls::State, calls::ProviderStatus,
                  calls::RawLastResponse, calls::Metrics, calls::SubmittedAt, calls::UpdatedAt,
                  calls::CompletedAt, calls::ErrorType, calls::ErrorMessage})
            + timingBinds(call.metrics)
            + Binds{{QStringLiteral(":succeeded"), call.state == CallState::Succeeded},
                    {QStringLiteral(":succeeded2"), call.state == CallState::Succeeded},
                    {QStringLiteral(":completed2"), timeValue(row.completedAt)}});
    if (!changed)
        return fail(changed.error());
    if (*changed == 0) {
        return fail(m_db->error(StoreError::Kind::NotFound,
                                QStringLiteral("provider call ") + call.id.toString()));
    }
    return tx->commit();
}

Result<QList<ProviderCallRecord>, StoreError> JobStore::calls(const StepId &step) const
{
    assertOwnerThread();
    return selectRows(*m_db,
                      selectCalls() + QStringLiteral(" WHERE step_id = :step_id ORDER BY attempt"),
                      {{QStringLiteral(":step_id"), step.toString()}}, readCall);
}

Result<QList<ProviderCallRecord>, StoreError> JobStore::unsettledCalls() const
{
    assertOwnerThread();
    // Word for word the WHERE clause of the partial index provider_calls_unsettled.
    return selectRows(*m_db,
                      selectCalls()
                          + QStringLiteral(" WHERE state IN ('creating', 'submitted', 'unknown')"
                                           " ORDER BY created_at, id"),
                      {}, readCall);
}

Result<QList<qint64>, StoreError> JobStore::recentRunTimes(const QString &modelRef, int limit) const
{
    assertOwnerThread();
    // Served by the partial index provider_calls_model_done.
    return selectRows(*m_db,
                      QStringLiteral("SELECT completed_at - submitted_at FROM provider_calls"
                                     " WHERE state = 'succeeded' AND model_ref = :model"
                                     " AND submitted_at IS NOT NULL AND completed_at IS NOT NULL"
                                     " ORDER BY completed_at DESC LIMIT :limit"),
                      {{QStringLiteral(":model"), modelRef}, {QStringLiteral(":limit"), limit}},
                      [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
}

Result<std::optional<ProviderCallRecord>, StoreError>
JobStore::callForPrediction(const QString &predictionId) const
{
    assertOwnerThread();
    return selectOne(
        *m_db, selectCalls() + QStringLiteral(" WHERE prediction_id = :prediction_id ORDER BY id"),
        {{QStringLiteral(":prediction_id"), predictionId}}, readCall);
}

Result<OutputRecord, StoreError> JobStore::addOutput(OutputRecord output)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    if (output.id.isNull())
        output.id = OutputId::generate();
    if (!output.createdAt.isValid())
        output.createdAt = QDateTime::currentDateTimeUtc();
    const auto inserted = write(*m_db, insertInto(outputs::table, outputs::columns),
                                rowBinds(outputs::columns, outputRow(output)));
    if (!inserted)
        return fail(inserted.error());
    const auto committed = tx->commit();
    if (!committed)
        return fail(committed.error());
    return output;
}

Result<QList<OutputRecord>, StoreError> JobStore::outputs(const JobId &id) const
{
    assertOwnerThread();
    return selectRows(
        *m_db, selectOutputs() + QStringLiteral(" WHERE job_id = :job_id ORDER BY created_at, id"),
        {{QStringLiteral(":job_id"), id.toString()}}, readOutput);
}

Result<std::optional<OutputRecord>, StoreError> JobStore::output(const OutputId &id) const
{
    assertOwnerThread();
    return selectOne(*m_db, selectOutputs() + QStringLiteral(" WHERE id = :id"),
                     {{QStringLiteral(":id"), id.toString()}}, readOutput);
}

Result<QList<OutputRecord>, StoreError> JobStore::outputsWithSha256(const QString &sha256) const
{
    assertOwnerThread();
    return selectRows(
        *m_db, selectOutputs() + QStringLiteral(" WHERE sha256 = :sha256 ORDER BY created_at, id"),
        {{QStringLiteral(":sha256"), sha256}}, readOutput);
}

Result<void, StoreError> JobStore::appendEvent(const JobId &job, const StepId &step,
                                               const QString &kind, const QString &message,
                                               const QByteArray &data)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto inserted =
        write(*m_db,
              QStringLiteral("INSERT INTO events (job_id, step_id, time, kind, message, data)"
                             " VALUES (:job_id, :step_id, :time, :kind, :message, :data)"),
              {{QStringLiteral(":job_id"), job.toString()},
               {QStringLiteral(":step_id"), step.isNull() ? QVariant() : QVariant(step.toString())},
               {QStringLiteral(":time"), timeValue(now)},
               {QStringLiteral(":kind"), requiredText(kind)},
               {QStringLiteral(":message"), requiredText(message)},
               {QStringLiteral(":data"), jsonValue(data)}});
    if (!inserted)
        return fail(inserted.error());
    if (hasEventSink()) {
        // Handed to the sink by settleEvents() once the outermost transaction commits.
        QString stepName;
        if (!step.isNull()) {
            const auto name =
                selectValue(*m_db, QStringLiteral("SELECT step_name FROM job_steps WHERE id = :id"),
                            {{QStringLiteral(":id"), step.toString()}});
            if (name)
                stepName = name->toString();
        }
        m_pendingEvents.append({EventRecord{0, job, step, now, kind, message, data}, stepName});
    }
    return tx->commit();
}

Result<QList<EventRecord>, StoreError> JobStore::events(const JobId &id) const
{
    assertOwnerThread();
    return selectRows(*m_db,
                      QStringLiteral("SELECT ") + columnList(events::columns)
                          + QStringLiteral(" FROM events WHERE job_id = :job_id ORDER BY id"),
                      {{QStringLiteral(":job_id"), id.toString()}}, readEvent);
}

} // namespace brieflow
