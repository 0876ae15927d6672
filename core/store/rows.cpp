// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rows.h"

namespace brieflow::db {

namespace {

QString badValue(const char *table, const char *column, const QVariant &value, const QVariant &id)
{
    return QStringLiteral("unknown %1.%2 value '%3' in row %4")
        .arg(QLatin1String(table), QLatin1String(column), value.toString(), id.toString());
}

} // namespace

QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant();
}

QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant textValue(const QString &text)
{
    return text.isNull() ? QVariant() : QVariant(text);
}

QVariant requiredText(const QString &text)
{
    return text.isNull() ? QVariant(QStringLiteral("")) : QVariant(text);
}

QVariant jsonValue(const QByteArray &json)
{
    return json.isEmpty() ? QVariant() : QVariant(QString::fromUtf8(json));
}

QByteArray jsonFrom(const QVariant &value)
{
    return value.isNull() ? QByteArray() : value.toString().toUtf8();
}

QVariant blobValue(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant() : QVariant(bytes);
}

QVariantList jobRow(const JobRecord &job)
{
    return {job.id.toString(),
            requiredText(job.workflowType),
            toString(job.status),
            textValue(job.currentStep),
            jsonValue(job.inputPayload),
            jsonValue(job.outputPayload),
            textValue(job.errorType),
            textValue(job.errorMessage),
            job.queuePosition,
            timeValue(job.createdAt),
            timeValue(job.updatedAt),
            timeValue(job.runAfter),
            textValue(job.stuckReason.isEmpty() ? QString() : job.stuckReason),
            timeValue(job.stuckSince)};
}

QVariantList stepRow(const StepRecord &step)
{
    return {step.id.toString(),
            step.jobId.toString(),
            requiredText(step.name),
            step.ordinal,
            toString(step.status),
            step.attemptCount,
            jsonValue(step.inputPayload),
            jsonValue(step.outputPayload),
            textValue(step.errorType),
            textValue(step.errorMessage),
            timeValue(step.startedAt),
            timeValue(step.completedAt),
            textValue(step.stuckReason.isEmpty() ? QString() : step.stuckReason),
            timeValue(step.stuckSince),
            step.stuckThresholdMs > 0 ? QVariant(step.stuckThresholdMs) : QVariant(),
            timeValue(step.stuckSnoozedUntil),
            timeValue(step.retryRequestedAt)};
}

QVariantList callRow(const ProviderCallRecord &call)
{
    return {call.id.toString(),
            call.jobId.toString(),
            call.stepId.toString(),
            call.attempt,
            requiredText(call.modelRef),
            requiredText(call.inputSha256),
            textValue(call.predictionId),
            toString(call.state),
            textValue(call.providerStatus),
            blobValue(call.rawLastResponse),
            jsonValue(call.metrics),
            timeValue(call.createdAt),
            timeValue(call.submittedAt),
            timeValue(call.updatedAt),
            timeValue(call.completedAt),
            textValue(call.errorType),
            textValue(call.errorMessage)};
}

QVariantList outputRow(const OutputRecord &output)
{
    return {output.id.toString(),
            output.jobId.toString(),
            output.stepId.isNull() ? QVariant() : QVariant(output.stepId.toString()),
            requiredText(output.kind),
            requiredText(output.filePath),
            requiredText(output.sha256),
            textValue(output.mime),
            output.width,
            output.height,
            output.bytes,
            textValue(output.sourceUrl),
            timeValue(output.createdAt)};
}

Result<JobRecord, QString> readJob(const QSqlQuery &q)
{
    const auto status = jobStatusFromString(q.value(jobs::Status).toString());
    if (!status) {
        return fail(badValue(jobs::table, jobs::columns[jobs::Status], q.value(jobs::Status),
                             q.value(jobs::Id)));
    }
    JobRecord job;
    job.id = JobId(q.value(jobs::Id).toString());
    job.workflowType = q.value(jobs::WorkflowType).toString();
    job.status = *status;
    job.currentStep = q.value(jobs::CurrentStep).toString();
    job.inputPayload = jsonFrom(q.value(jobs::InputPayload));
    job.outputPayload = jsonFrom(q.value(jobs::OutputPayload));
    job.errorType = q.value(jobs::ErrorType).toString();
    job.errorMessage = q.value(jobs::ErrorMessage).toString();
    job.queuePosition = q.value(jobs::QueuePosition).toLongLong();
    job.createdAt = timeFrom(q.value(jobs::CreatedAt));
    job.updatedAt = timeFrom(q.value(jobs::UpdatedAt));
    job.runAfter = timeFrom(q.value(jobs::RunAfter));
    job.stuckReason = q.value(jobs::StuckReason).toString();
    job.stuckSince = timeFrom(q.value(jobs::StuckSince));
    return job;
}

Result<StepRecord, QString> readStep(const QSqlQuery &q)
{
    const auto status = stepStatusFromString(q.value(steps::Status).toString());
    if (!status) {
        return fail(badValue(steps::table, steps::columns[steps::Status], q.value(steps::Status),
                             q.value(steps::Id)));
    }
    StepRecord step;
    step.id = StepId(q.value(steps::Id).toString());
    step.jobId = JobId(q.value(steps::JobId).toString());
    step.name = q.value(steps::Name).toString();
    step.ordinal = q.value(steps::Ordinal).toInt();
    step.status = *status;
    step.attemptCount = q.value(steps::AttemptCount).toInt();
    step.inputPayload = jsonFrom(q.value(steps::InputPayload));
    step.outputPayload = jsonFrom(q.value(steps::OutputPayload));
    step.errorType = q.value(steps::ErrorType).toString();
    step.errorMessage = q.value(steps::ErrorMessage).toString();
    step.startedAt = timeFrom(q.value(steps::StartedAt));
    step.completedAt = timeFrom(q.value(steps::CompletedAt));
    step.stuckReason = q.value(steps::StuckReason).toString();
    step.stuckSince = timeFrom(q.value(steps::StuckSince));
    step.stuckThresholdMs = q.value(steps::StuckThresholdMs).toLongLong();
    step.stuckSnoozedUntil = timeFrom(q.value(steps::StuckSnoozedUntil));
    step.retryRequestedAt = timeFrom(q.value(steps::RetryRequestedAt));
    return step;
}

Result<ProviderCallRecord, QString> readCall(const QSqlQuery &q)
{
    const auto state = callStateFromString(q.value(calls::State).toString());
    if (!state) {
        return fail(badValue(calls::table, calls::columns[calls::State], q.value(calls::State),
                             q.value(calls::Id)));
    }
    ProviderCallRecord call;
    call.id = ProviderCallId(q.value(calls::Id).toString());
    call.jobId = JobId(q.value(calls::JobId).toString());
    call.stepId = StepId(q.value(calls::StepId).toString());
    call.attempt = q.value(calls::Attempt).toInt();
    call.modelRef = q.value(calls::ModelRef).toString();
    call.inputSha256 = q.value(calls::InputSha256).toString();
    call.predictionId = q.value(calls::PredictionId).toString();
    call.state = *state;
    call.providerStatus = q.value(calls::ProviderStatus).toString();
    call.rawLastResponse = q.value(calls::RawLastResponse).toByteArray();
    call.metrics = jsonFrom(q.value(calls::Metrics));
    call.createdAt = timeFrom(q.value(calls::CreatedAt));
    call.submittedAt = timeFrom(q.value(calls::SubmittedAt));
    call.updatedAt = timeFrom(q.value(calls::UpdatedAt));
    call.completedAt = timeFrom(q.value(calls::CompletedAt));
    call.errorType = q.value(calls::ErrorType).toString();
    call.errorMessage = q.value(calls::ErrorMessage).toString();
    return call;
}

OutputRecord readOutput(const QSqlQuery &q)
{
    OutputRecord output;
    output.id = OutputId(q.value(outputs::Id).toString());
    output.jobId = JobId(q.value(outputs::JobId).toString());
    output.stepId = StepId(q.value(outputs::StepId).toString());
    output.kind = q.value(outputs::Kind).toString();
    output.filePath = q.value(outputs::FilePath).toString();
    output.sha256 = q.value(outputs::Sha256).toString();
    output.mime = q.value(outputs::Mime).toString();
    output.width = q.value(outputs::Width).toInt();
    output.height = q.value(outputs::Height).toInt();
    output.bytes = q.value(outputs::Bytes).toLongLong();
    output.sourceUrl = q.value(outputs::SourceUrl).toString();
    output.createdAt = timeFrom(q.value(outputs::CreatedAt));
    return output;
}

EventRecord readEvent(const QSqlQuery &q)
{
    EventRecord event;
    event.seq = q.value(events::Id).toLongLong();
    event.jobId = JobId(q.value(events::JobId).toString());
    event.stepId = StepId(q.value(events::StepId).toString());
    event.time = timeFrom(q.value(events::Time));
    event.kind = q.value(events::Kind).toString();
    event.message = q.value(events::Message).toString();
    event.data = jsonFrom(q.value(events::Data));
    return event;
}

} // namespace brieflow::db
