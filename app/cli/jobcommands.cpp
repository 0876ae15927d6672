// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `list`, `show` and `stuck`: read-only views of the job database.
#include <QCommandLineParser>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "app/cli/jobview.h"
#include "core/app/jobsubmission.h"
#include "core/monitoring/eta.h"
#include "core/settings.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

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

} // namespace

int listCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("List jobs, newest first, with an ETA for queued and running jobs."));
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
    QHash<JobId, std::optional<qint64>> etas;
    if (store) {
        auto listed = store->jobs(query);
        if (!listed)
            return fail(DataUnavailable, listed.error().message);
        jobs = listed.value();
        const Settings settings(context.paths.settingsFile());
        auto estimated = jobEtas(*store, settings, jobs);
        if (!estimated)
            return fail(DataUnavailable, estimated.error().message);
        etas = estimated.value();
    }

    if (context.json) {
        QJsonArray array;
        for (const JobRecord &job : jobs) {
            QJsonObject object = jobToJson(job);
            if (hasEta(job.status)) {
                const std::optional<qint64> eta = etas.value(job.id);
                object.insert(QStringLiteral("eta_ms"),
                              eta ? QJsonValue(double(*eta)) : QJsonValue(QJsonValue::Null));
            }
            array.append(object);
        }
        outJson(array);
        return Success;
    }
    if (jobs.isEmpty()) {
        out(query.status ? QStringLiteral("No %1 jobs.").arg(toString(*query.status))
                         : QStringLiteral("No jobs yet. Queue one with: brieflow-cli submit "
                                          "brief.json"));
        return Success;
    }
    out(QStringLiteral("%1  %2  %3  %4  %5  %6")
            .arg(QStringLiteral("ID"), -36)
            .arg(QStringLiteral("STATUS"), -15)
            .arg(QStringLiteral("STEP"), -12)
            .arg(QStringLiteral("CREATED"), -19)
            .arg(QStringLiteral("ETA"), -16)
            .arg(QStringLiteral("PRODUCT")));
    for (const JobRecord &job : jobs) {
        out(QStringLiteral("%1  %2  %3  %4  %5  %6")
                .arg(job.id.toString(), -36)
                .arg(job.isStuck() ? QStringLiteral("stuck") : toString(job.status), -15)
                .arg(job.currentStep.isEmpty() ? QStringLiteral("—") : job.currentStep, -12)
                .arg(formatTime(job.createdAt), -19)
                .arg(hasEta(job.status) ? formatEta(etas.value(job.id)) : QStringLiteral("—"), -16)
                .arg(productOf(job)));
    }
    return Success;
}

int showCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show one job: its ETA when queued or running, its cost so far, its "
                       "brief, its steps, the provider calls of each attempt, its outputs and "
                       "its event log."));
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
    auto view = loadJobView(*store, id);
    if (!view)
        return fail(DataUnavailable, view.error().message);
    if (!view.value())
        return fail(UsageOrInvalid, QStringLiteral("no job %1").arg(id.toString()));
    const Settings settings(context.paths.settingsFile());
    if (auto estimated = estimateJobView(*store, settings, *view.value()); !estimated)
        return fail(DataUnavailable, estimated.error().message);
    if (context.json)
        outJson(jobViewToJson(*view.value()));
    else
        printJobStory(*view.value());
    return Success;
}

int stuckCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List stuck jobs, longest stuck first, with the reason: a prediction running past its "
        "step's time limit, or far longer than its model usually takes. For each: cancel, "
        "retry (cancels the stuck prediction first) or keep-waiting."));
    if (auto code = parseCommand(parser, arguments, QStringLiteral("brieflow-cli stuck")))
        return *code;
    if (parser.positionalArguments().size() > 1)
        return fail(UsageOrInvalid, QStringLiteral("stuck takes no file or job id"));

    int code = Success;
    auto store = openForReading(context, &code);
    if (code != Success)
        return code;
    QList<JobRecord> jobs;
    if (store) {
        auto listed = store->stuckJobs();
        if (!listed)
            return fail(DataUnavailable, listed.error().message);
        jobs = listed.value();
    }
    if (context.json) {
        QJsonArray array;
        for (const JobRecord &job : jobs)
            array.append(stuckJobToJson(job));
        outJson(array);
        return Success;
    }
    if (jobs.isEmpty()) {
        out(QStringLiteral("No stuck jobs."));
        return Success;
    }
    for (const JobRecord &job : jobs) {
        out(QStringLiteral("%1  %2  %3")
                .arg(job.id.toString(), -36)
                .arg(job.currentStep.isEmpty() ? QStringLiteral("—") : job.currentStep, -12)
                .arg(productOf(job)));
        out(QStringLiteral("    %1 (flagged %2)").arg(job.stuckReason, formatTime(job.stuckSince)));
    }
    out(QString());
    out(QStringLiteral("For each: brieflow-cli cancel JOB, retry JOB (cancels the stuck "
                       "prediction first) or keep-waiting JOB."));
    return Success;
}

} // namespace brieflow::cli
