// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `list` and `show`: read-only views of the job database.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>

#include "cli.h"
#include "clioutput.h"
#include "core/app/jobsubmission.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

/**
 * Opens the database read-only. A data folder without a database yet is an empty queue, not an
 * error: returns nullptr with no error.
 */
std::unique_ptr<JobStore> openForReading(const Context &context, int *exitCode)
{
    *exitCode = Success;
    const QString file = context.paths.databaseFile();
    if (!QFileInfo::exists(file))
        return nullptr;
    auto store = JobStore::open(file, JobStore::Mode::Reader);
    if (!store) {
        *exitCode = fail(DataUnavailable, store.error().message);
        return nullptr;
    }
    return std::move(store).value();
}

QString productOf(const JobRecord &job)
{
    const auto brief = briefOfJob(job);
    return brief ? brief->productName : QStringLiteral("(not a brief)");
}

QString allStatuses()
{
    QStringList names;
    for (auto s : {JobStatus::Pending, JobStatus::Processing, JobStatus::Succeeded,
                   JobStatus::Failed, JobStatus::Canceled, JobStatus::NeedsAttention})
        names << toString(s);
    return names.join(QStringLiteral(", "));
}

QJsonValue payloadJson(const QByteArray &payload)
{
    if (payload.isEmpty())
        return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson(payload);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QString::fromUtf8(payload);
}

} // namespace

int listCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List jobs, newest first."));
    const QCommandLineOption status(
        QStringLiteral("status"),
        QStringLiteral("Only jobs with this status: %1.").arg(allStatuses()), QStringLiteral("S"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("At most N jobs (default 200)."),
                                   QStringLiteral("N"), QStringLiteral("200"));
    parser.addOptions({status, limit});
    if (auto code = parseCommand(parser, arguments,
                                 QStringLiteral("brieflow-cli list [--status S] [--limit N]")))
        return *code;
    if (parser.positionalArguments().size() > 1)
        return fail(UsageOrInvalid, QStringLiteral("list takes no file or job id"));

    JobQuery query;
    if (parser.isSet(status)) {
        query.status = jobStatusFromString(parser.value(status).trimmed().toLower());
        if (!query.status)
            return fail(UsageOrInvalid, QStringLiteral("unknown status \"%1\"; use one of: %2")
                                            .arg(parser.value(status), allStatuses()));
    }
    bool limitOk = false;
    query.limit = parser.value(limit).toInt(&limitOk);
    if (!limitOk || query.limit < 1)
        return fail(UsageOrInvalid, QStringLiteral("--limit needs a whole number above 0"));

    int code = Success;
    auto store = openForReading(context, &code);
    if (code != Success)
        return code;
    QList<JobRecord> jobs;
    if (store) {
        auto listed = store->jobs(query);
        if (!listed)
            return fail(DataUnavailable, listed.error().message);
        jobs = listed.value();
    }

    if (context.json) {
        QJsonArray array;
        for (const JobRecord &job : jobs)
            array.append(jobToJson(job));
        outJson(array);
        return Success;
    }
    if (jobs.isEmpty()) {
        out(query.status ? QStringLiteral("No %1 jobs.").arg(toString(*query.status))
                         : QStringLiteral("No jobs yet. Queue one with: brieflow-cli submit "
                                          "brief.json"));
        return Success;
    }
    out(QStringLiteral("%1  %2  %3  %4  %5")
            .arg(QStringLiteral("ID"), -36)
            .arg(QStringLiteral("STATUS"), -15)
            .arg(QStringLiteral("STEP"), -12)
            .arg(QStringLiteral("CREATED"), -19)
            .arg(QStringLiteral("PRODUCT")));
    for (const JobRecord &job : jobs) {
        out(QStringLiteral("%1  %2  %3  %4  %5")
                .arg(job.id.toString(), -36)
                .arg(toString(job.status), -15)
                .arg(job.currentStep.isEmpty() ? QStringLiteral("—") : job.currentStep, -12)
                .arg(formatTime(job.createdAt), -19)
                .arg(productOf(job)));
    }
    return Success;
}

int showCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show one job: its brief, its steps, the provider calls of each attempt, "
                       "its outputs and its event log."));
    parser.addPositionalArgument(QStringLiteral("JOB_ID"), QStringLiteral("The job's id."));
    if (auto code = parseCommand(parser, arguments, QStringLiteral("brieflow-cli show JOB_ID")))
        return *code;
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return fail(UsageOrInvalid, QStringLiteral("show needs exactly one job id"));
    const JobId id(args.first().trimmed().toLower());

    int code = Success;
    auto store = openForReading(context, &code);
    if (code != Success)
        return code;
    if (!store)
        return fail(UsageOrInvalid,
                    QStringLiteral("no job %1 (the queue is empty)").arg(id.toString()));
    auto job = store->job(id);
    if (!job)
        return fail(DataUnavailable, job.error().message);
    if (!job.value())
        return fail(UsageOrInvalid, QStringLiteral("no job %1").arg(id.toString()));
    const JobRecord &record = *job.value();

    auto steps = store->steps(id);
    auto outputs = store->outputs(id);
    auto events = store->events(id);
    if (!steps || !outputs || !events) {
        const StoreError &e = !steps ? steps.error() : !outputs ? outputs.error() : events.error();
        return fail(DataUnavailable, e.message);
    }
    QList<QList<ProviderCallRecord>> callsPerStep;
    for (const StepRecord &step : steps.value()) {
        auto calls = store->calls(step.id);
        if (!calls)
            return fail(DataUnavailable, calls.error().message);
        callsPerStep.append(calls.value());
    }

    if (context.json) {
        QJsonObject object = jobToJson(record);
        object.insert(QStringLiteral("input"), payloadJson(record.inputPayload));
        object.insert(QStringLiteral("output"), payloadJson(record.outputPayload));
        QJsonArray stepArray;
        for (qsizetype i = 0; i < steps->size(); ++i) {
            const StepRecord &s = steps->at(i);
            QJsonArray callArray;
            for (const ProviderCallRecord &c : callsPerStep.at(i)) {
                callArray.append(QJsonObject{
                    {QStringLiteral("attempt"), c.attempt},
                    {QStringLiteral("model"), c.modelRef},
                    {QStringLiteral("prediction_id"), c.predictionId},
                    {QStringLiteral("state"), toString(c.state)},
                    {QStringLiteral("created_at"), c.createdAt.toUTC().toString(Qt::ISODateWithMs)},
                    {QStringLiteral("provider_status"), c.providerStatus},
                    {QStringLiteral("input_sha256"), c.inputSha256},
                });
            }
            stepArray.append(QJsonObject{
                {QStringLiteral("name"), s.name},
                {QStringLiteral("status"), toString(s.status)},
                {QStringLiteral("attempt_count"), s.attemptCount},
                {QStringLiteral("error_type"), s.errorType},
                {QStringLiteral("error_message"), s.errorMessage},
                {QStringLiteral("output"), payloadJson(s.outputPayload)},
                {QStringLiteral("started_at"), s.startedAt.toUTC().toString(Qt::ISODateWithMs)},
                {QStringLiteral("completed_at"), s.completedAt.toUTC().toString(Qt::ISODateWithMs)},
                {QStringLiteral("attempts"), callArray},
            });
        }
        object.insert(QStringLiteral("steps"), stepArray);
        QJsonArray outputArray;
        for (const OutputRecord &o : outputs.value())
            outputArray.append(QJsonObject{{QStringLiteral("kind"), o.kind},
                                           {QStringLiteral("path"), o.filePath},
                                           {QStringLiteral("sha256"), o.sha256},
                                           {QStringLiteral("mime"), o.mime},
                                           {QStringLiteral("width"), o.width},
                                           {QStringLiteral("height"), o.height},
                                           {QStringLiteral("bytes"), o.bytes}});
        object.insert(QStringLiteral("outputs"), outputArray);
        QJsonArray eventArray;
        for (const EventRecord &e : events.value())
            eventArray.append(
                QJsonObject{{QStringLiteral("time"), e.time.toUTC().toString(Qt::ISODateWithMs)},
                            {QStringLiteral("step"), e.stepId.toString()},
                            {QStringLiteral("kind"), e.kind},
                            {QStringLiteral("message"), e.message}});
        object.insert(QStringLiteral("events"), eventArray);
        outJson(object);
        return Success;
    }

    const auto brief = briefOfJob(record);
    out(QStringLiteral("Job      %1").arg(record.id.toString()));
    out(QStringLiteral("Product  %1").arg(productOf(record)));
    out(QStringLiteral("Status   %1%2")
            .arg(toString(record.status),
                 record.currentStep.isEmpty()
                     ? QString()
                     : QStringLiteral(" (at %1)").arg(record.currentStep)));
    out(QStringLiteral("Created  %1   Updated %2")
            .arg(formatTime(record.createdAt), formatTime(record.updatedAt)));
    if (!record.errorType.isEmpty())
        out(QStringLiteral("Error    %1: %2").arg(record.errorType, record.errorMessage));
    if (brief) {
        out(QString());
        out(QStringLiteral("Brief"));
        out(QStringLiteral("  Audience           %1").arg(brief->audience));
        out(QStringLiteral("  Value proposition  %1").arg(brief->valueProposition));
        if (!brief->tone.isEmpty())
            out(QStringLiteral("  Tone               %1").arg(brief->tone));
        if (!brief->brandNotes.isEmpty())
            out(QStringLiteral("  Brand notes        %1").arg(brief->brandNotes));
        out(QStringLiteral("  Images             %1 × %2, %3")
                .arg(brief->image.count)
                .arg(brief->image.aspectRatio, brief->image.outputFormat));
    }
    out(QString());
    out(QStringLiteral("Steps"));
    for (qsizetype i = 0; i < steps->size(); ++i) {
        const StepRecord &s = steps->at(i);
        out(QStringLiteral("  %1. %2  %3  attempts %4")
                .arg(s.ordinal + 1)
                .arg(s.name, -13)
                .arg(toString(s.status), -13)
                .arg(s.attemptCount));
        if (!s.errorType.isEmpty())
            out(QStringLiteral("       error %1: %2").arg(s.errorType, s.errorMessage));
        for (const ProviderCallRecord &c : callsPerStep.at(i))
            out(QStringLiteral("       attempt %1  %2  %3  %4")
                    .arg(c.attempt)
                    .arg(c.modelRef, toString(c.state),
                         c.predictionId.isEmpty() ? QStringLiteral("(no prediction id)")
                                                  : c.predictionId));
    }
    if (!outputs->isEmpty()) {
        out(QString());
        out(QStringLiteral("Outputs"));
        for (const OutputRecord &o : outputs.value())
            out(QStringLiteral("  %1  %2×%3  %4")
                    .arg(o.kind)
                    .arg(o.width)
                    .arg(o.height)
                    .arg(o.filePath));
    }
    out(QString());
    out(QStringLiteral("Events"));
    for (const EventRecord &e : events.value())
        out(QStringLiteral("  %1  %2  %3").arg(formatTime(e.time), e.kind, e.message));
    return Success;
}

} // namespace brieflow::cli
