// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `retry JOB`, `cancel JOB` and `keep-waiting JOB...`: user actions on jobs, through the
// store-level actions of core/pipeline/jobactions.h (no engine needed; a running worker picks
// the changes up). A stuck job's retry is asked of the running worker through the database, or,
// with no worker running, done here: its prediction cancelled at the provider first.
#include <cstdio>

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QLockFile>
#include <QTimer>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "app/cli/enginesession.h"
#include "core/pipeline/jobactions.h"
#include "core/replicate/replicateclient.h"
#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"

namespace brieflow::cli {

namespace {

constexpr qint64 maxEditBytes = 1024 * 1024;
constexpr int providerCancelTimeoutMs = 20000;

int actionFailed(const ActionError &error)
{
    return fail(error.kind == ActionError::Kind::Storage ? DataUnavailable : UsageOrInvalid,
                error.message);
}

/** The job's writer store, or an exit code: no database means no such job. */
std::unique_ptr<JobStore> openForAction(const Context &context, const JobId &id, int *exitCode)
{
    *exitCode = Success;
    if (!QFileInfo::exists(context.paths.databaseFile())) {
        *exitCode = fail(UsageOrInvalid,
                         QStringLiteral("no job %1 (the queue is empty)").arg(id.toString()));
        return nullptr;
    }
    auto store = JobStore::open(context.paths.databaseFile(), JobStore::Mode::Writer);
    if (!store) {
        *exitCode = fail(DataUnavailable, store.error().message);
        return nullptr;
    }
    return std::move(store).value();
}

/** Reads an edited step input from a file or standard input ("-"); empty + *error on failure. */
QString readEdit(const QString &file, QString *error)
{
    QFile f;
    const bool isStdin = file == QLatin1String("-");
    const bool opened = isStdin ? f.open(stdin, QIODevice::ReadOnly)
                                : (f.setFileName(file), f.open(QIODevice::ReadOnly));
    if (!opened || (!isStdin && QFileInfo(file).isDir())) {
        *error = QStringLiteral("can't read %1: %2")
                     .arg(file, QFileInfo(file).isDir() ? QStringLiteral("it is a folder")
                                                        : f.errorString());
        return {};
    }
    const QByteArray data = f.read(maxEditBytes + 1);
    if (data.size() > maxEditBytes) {
        *error = QStringLiteral("%1 is larger than 1 MB").arg(file);
        return {};
    }
    const QString text = QString::fromUtf8(data).trimmed();
    if (text.isEmpty())
        *error = QStringLiteral("%1 is empty: give the edited text for the step").arg(file);
    return text;
}

struct ProviderCancel {
    QString predictionId;
    bool answered = false;
    QString outcome; ///< the prediction's status after the request, or why it failed
    bool ok = false;
};

/** Asks the provider to cancel @p ids and waits (bounded) for every answer. */
QList<ProviderCancel> cancelAtProvider(const ProviderSetup &provider, const QStringList &ids)
{
    QList<ProviderCancel> results;
    for (const QString &id : ids)
        results.append({id, false, {}, false});

    replicate::ReplicateClient::Options options;
    options.baseUrl = provider.apiBase;
    options.token = [token = provider.token] { return token; };
    replicate::ReplicateClient client(options);
    QObject context;
    QEventLoop loop;
    qsizetype pending = results.size();
    for (qsizetype i = 0; i < results.size(); ++i) {
        client.cancelPrediction(
            results.at(i).predictionId, &context,
            [&results, &pending, &loop, i](const ProviderResult<Prediction> &answer) {
                ProviderCancel &r = results[i];
                r.answered = true;
                r.ok = answer.ok();
                r.outcome = answer ? toString(answer->status) : answer.error().describe();
                if (--pending == 0)
                    loop.quit();
            });
    }
    QTimer::singleShot(providerCancelTimeoutMs, &loop, &QEventLoop::quit);
    if (pending > 0)
        loop.exec();
    return results;
}

/** What a retry of a stuck job did; an exit code when it failed. */
struct StuckRetry {
    int exitCode = Success;
    JobRecord job;
    bool requested = false; ///< left to the running worker
    QString predictionStatus;
};

/**
 * Retry now of a stuck job: a running engine (worker or app, holding the queue's engine lock)
 * is asked through the database; with none running, the stuck prediction is cancelled at the
 * provider here and the step requeued — never a new attempt while the old one may still run.
 */
StuckRetry retryStuckJob(const Context &context, JobStore &store, const JobId &id)
{
    StuckRetry result;
    // The engine's lock (see EngineHost::Worker::init): held while an engine runs this queue.
    QLockFile engineLock(context.paths.databaseFile() + QStringLiteral(".engine.lock"));
    engineLock.setStaleLockTime(0);
    if (!engineLock.tryLock(0)) {
        auto requested = requestStuckRetry(store, id);
        if (!requested) {
            result.exitCode = actionFailed(requested.error());
            return result;
        }
        result.job = *requested;
        result.requested = true;
        return result;
    }
    auto plan = planStuckRetry(store, id);
    if (!plan) {
        result.exitCode = actionFailed(plan.error());
        return result;
    }
    const QString predictionId = plan->call.predictionId;
    QString status;
    if (context.demo) {
        // The demo sandbox lived in the process that started the prediction and ended with it.
        status = QStringLiteral("canceled");
    } else if (qEnvironmentVariable("REPLICATE_API_TOKEN").trimmed().isEmpty()) {
        result.exitCode = fail(UsageOrInvalid,
                               QStringLiteral("Job %1 is stuck, but its prediction %2 can't be "
                                              "cancelled without REPLICATE_API_TOKEN, so it isn't "
                                              "started again (it could run twice). Nothing was "
                                              "changed.")
                                   .arg(id.toString(), predictionId));
        return result;
    } else {
        int code = Success;
        const auto provider = providerSetup(context, &code);
        if (!provider) {
            result.exitCode = code;
            return result;
        }
        const ProviderCancel answer = cancelAtProvider(*provider, {predictionId}).constFirst();
        if (!answer.answered || !answer.ok) {
            result.exitCode =
                fail(DataUnavailable,
                     QStringLiteral("Couldn't cancel the stuck prediction %1 at the provider "
                                    "(%2); the job keeps waiting for it. Nothing was changed.")
                         .arg(predictionId,
                              answer.answered ? answer.outcome : QStringLiteral("no answer")));
            return result;
        }
        status = answer.outcome;
        if (status == QLatin1String("succeeded")) {
            result.exitCode =
                fail(UsageOrInvalid, QStringLiteral("Prediction %1 finished meanwhile: run the "
                                                    "worker to collect its outputs. Nothing was "
                                                    "changed.")
                                         .arg(predictionId));
            return result;
        }
        if (status != QLatin1String("canceled") && status != QLatin1String("failed")
            && status != QLatin1String("aborted")) {
            result.exitCode = fail(DataUnavailable,
                                   QStringLiteral("Prediction %1 is still stopping at the provider "
                                                  "(%2); try again in a moment. Nothing was "
                                                  "changed.")
                                       .arg(predictionId, status));
            return result;
        }
    }
    auto finished = finishStuckRetry(store, *plan, status);
    if (!finished) {
        result.exitCode = actionFailed(finished.error());
        return result;
    }
    result.job = *finished;
    result.predictionStatus = status;
    return result;
}

} // namespace

int retryCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Queue a failed, canceled or needs-attention job again, from the first step that did "
        "not succeed or from --from STEP (earlier outputs are kept, that step and the later "
        "ones run again). A job that succeeded can be re-run from a named step. --input-file "
        "replaces what that step reads from the step before it (an edited concept for "
        "image_prompt, an edited image prompt for image; a brief JSON for the first step); "
        "the edit is recorded in the job's events. With --wait, run the engine until the job "
        "ends, like run --wait."));
    const QCommandLineOption from(QStringLiteral("from"),
                                  QStringLiteral("The step to start from (e.g. image_prompt)."),
                                  QStringLiteral("STEP"));
    const QCommandLineOption inputFile(
        QStringLiteral("input-file"),
        QStringLiteral("The edited input for that step, from a file or - (standard input)."),
        QStringLiteral("F"));
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  QStringLiteral("Run the job now and wait for it to end."));
    parser.addOptions({from, inputFile, wait});
    parser.addPositionalArgument(QStringLiteral("JOB_ID"), QStringLiteral("The job's id."));
    const QString usage =
        QStringLiteral("brieflow-cli retry JOB_ID [--from STEP] [--input-file F|-] [--wait]");
    if (auto code = parseCommand(parser, arguments, usage))
        return *code;
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return fail(UsageOrInvalid, QStringLiteral("retry needs exactly one job id"));
    const JobId id(args.first().trimmed().toLower());

    std::optional<ProviderSetup> provider;
    if (parser.isSet(wait)) {
        int code = Success;
        provider = providerSetup(context, &code);
        if (!provider)
            return code;
    }
    RetryRequest request;
    request.job = id;
    request.fromStep = parser.value(from).trimmed();
    if (parser.isSet(inputFile)) {
        QString error;
        const QString edit = readEdit(parser.value(inputFile), &error);
        if (!error.isEmpty())
            return fail(UsageOrInvalid, error);
        request.editedInput = edit;
    }

    JobRecord queued;
    {
        int code = Success;
        auto store = openForAction(context, id, &code);
        if (!store)
            return code;
        auto job = store->job(id);
        if (!job)
            return fail(DataUnavailable, job.error().message);
        if (!job.value())
            return fail(UsageOrInvalid, QStringLiteral("no job %1").arg(id.toString()));
        if (job.value()->isStuck() && request.fromStep.isEmpty() && !request.editedInput) {
            const StuckRetry stuck = retryStuckJob(context, *store, id);
            if (stuck.exitCode != Success)
                return stuck.exitCode;
            if (stuck.requested || !parser.isSet(wait)) {
                QJsonObject report = jobToJson(stuck.job);
                report.insert(QStringLiteral("stuck_retry"), stuck.requested
                                                                 ? QStringLiteral("requested")
                                                                 : QStringLiteral("queued"));
                if (!stuck.predictionStatus.isEmpty())
                    report.insert(QStringLiteral("stuck_prediction"), stuck.predictionStatus);
                if (context.json) {
                    outJson(report);
                } else if (stuck.requested) {
                    out(QStringLiteral("Job %1 is stuck; the running worker cancels its stuck "
                                       "prediction and starts %2 again.")
                            .arg(id.toString(), stuck.job.currentStep));
                } else {
                    out(QStringLiteral("Job %1: the stuck prediction was cancelled (%2); %3 "
                                       "starts again.")
                            .arg(id.toString(), stuck.predictionStatus, stuck.job.currentStep));
                    err(QStringLiteral("Run it with: brieflow-cli%1 worker (or retry --wait)")
                            .arg(context.demo ? QStringLiteral(" --demo") : QString()));
                }
                return Success;
            }
            queued = stuck.job;
        }
    }
    if (queued.id.isNull()) {
        // Reopened: a stuck retry above may have held the queue's engine lock.
        int code = Success;
        auto store = openForAction(context, id, &code);
        if (!store)
            return code;
        auto job = store->job(id);
        if (!job)
            return fail(DataUnavailable, job.error().message);
        if (!job.value())
            return fail(UsageOrInvalid, QStringLiteral("no job %1").arg(id.toString()));
        const auto workflow = builtinWorkflow(job.value()->workflowType);
        if (!workflow)
            return fail(DataUnavailable,
                        QStringLiteral("the workflow \"%1\" of job %2 can't be loaded:\n%3")
                            .arg(job.value()->workflowType, id.toString(),
                                 formatWorkflowErrors(workflow.error())));
        if (!request.fromStep.isEmpty() && workflow->indexOf(request.fromStep) < 0)
            return fail(UsageOrInvalid,
                        QStringLiteral("job %1 has no step \"%2\"; its steps are: %3")
                            .arg(id.toString(), request.fromStep,
                                 workflow->stepNames().join(QStringLiteral(", "))));
        auto prepared = prepareRetry(*store, workflow.value(), request);
        if (!prepared)
            return actionFailed(prepared.error());
        queued = prepared.value();
    }

    if (!parser.isSet(wait)) {
        if (context.json) {
            outJson(jobToJson(queued));
        } else {
            out(QStringLiteral("Job %1 is queued again%2.")
                    .arg(id.toString(), queued.currentStep.isEmpty()
                                            ? QString()
                                            : QStringLiteral(" from %1").arg(queued.currentStep)));
            err(QStringLiteral("Run it with: brieflow-cli%1 worker (or retry --wait)")
                    .arg(context.demo ? QStringLiteral(" --demo") : QString()));
        }
        return Success;
    }
    if (!context.json)
        err(QStringLiteral("Job %1 is queued again; running it.").arg(id.toString()));
    EngineSession::Options options;
    options.goal = EngineSession::Goal::JobsSettled;
    options.jobs = {id};
    EngineSession session(context, *provider, options);
    const int ran = session.exec();
    if (ran == DataUnavailable)
        return ran;
    const int reported = reportJobs(context, {id});
    return ran == Success ? reported : std::max(ran, reported);
}

int cancelCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Cancel a job: its unfinished steps and the job become canceled, and its predictions "
        "still running are cancelled at the provider (waiting up to 20 s for the answers). "
        "Cancelling a job that has already ended changes nothing and is not an error."));
    parser.addPositionalArgument(QStringLiteral("JOB_ID"), QStringLiteral("The job's id."));
    if (auto code = parseCommand(parser, arguments, QStringLiteral("brieflow-cli cancel JOB_ID")))
        return *code;
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return fail(UsageOrInvalid, QStringLiteral("cancel needs exactly one job id"));
    const JobId id(args.first().trimmed().toLower());

    CancelOutcome outcome;
    {
        int code = Success;
        auto store = openForAction(context, id, &code);
        if (!store)
            return code;
        auto canceled = markCanceled(*store, id);
        if (!canceled)
            return actionFailed(canceled.error());
        outcome = canceled.value();
    }

    QJsonObject report = jobToJson(outcome.job);
    report.insert(QStringLiteral("already_final"), outcome.alreadyFinal);
    if (outcome.alreadyFinal) {
        if (context.json)
            outJson(report);
        else
            out(QStringLiteral("Job %1 had already ended (%2): nothing to cancel.")
                    .arg(id.toString(), toString(outcome.job.status)));
        return Success;
    }
    if (!context.json)
        out(QStringLiteral("Job %1 is canceled.").arg(id.toString()));

    QJsonArray predictions;
    const QStringList ids = outcome.predictionsToCancel;
    QString note;
    if (!ids.isEmpty()) {
        int code = Success;
        std::optional<ProviderSetup> provider;
        if (context.demo) {
            note = QStringLiteral("Demo predictions run in the sandbox of the process that "
                                  "started them and end with it; nothing to cancel here.");
        } else if (qEnvironmentVariable("REPLICATE_API_TOKEN").trimmed().isEmpty()) {
            note = QStringLiteral("No REPLICATE_API_TOKEN is set, so %1 prediction(s) could not "
                                  "be cancelled at the provider and may still finish (and be "
                                  "billed): %2")
                       .arg(ids.size())
                       .arg(ids.join(QStringLiteral(", ")));
        } else if ((provider = providerSetup(context, &code))) {
            for (const ProviderCancel &r : cancelAtProvider(*provider, ids)) {
                QJsonObject p{{QStringLiteral("id"), r.predictionId},
                              {QStringLiteral("answered"), r.answered},
                              {QStringLiteral("ok"), r.ok}};
                if (r.answered)
                    p.insert(r.ok ? QStringLiteral("status") : QStringLiteral("error"), r.outcome);
                predictions.append(p);
                if (context.json)
                    continue;
                if (!r.answered)
                    out(QStringLiteral("  prediction %1: no answer within %2 s; it may still "
                                       "finish")
                            .arg(r.predictionId)
                            .arg(providerCancelTimeoutMs / 1000));
                else if (r.ok)
                    out(QStringLiteral("  prediction %1: %2").arg(r.predictionId, r.outcome));
                else
                    out(QStringLiteral("  prediction %1: could not be cancelled (%2)")
                            .arg(r.predictionId, r.outcome));
            }
        }
    }
    report.insert(QStringLiteral("predictions"), predictions);
    if (!note.isEmpty()) {
        report.insert(QStringLiteral("note"), note);
        err(note);
    }
    if (context.json)
        outJson(report);
    return Success;
}

int keepWaitingCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Keep waiting for stuck jobs: their stuck flag clears and is not raised again before "
        "another full threshold has passed (see `brieflow-cli stuck`). Their predictions keep "
        "running."));
    parser.addPositionalArgument(QStringLiteral("JOB_ID..."), QStringLiteral("The jobs' ids."));
    if (auto code =
            parseCommand(parser, arguments, QStringLiteral("brieflow-cli keep-waiting JOB_ID...")))
        return *code;
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.isEmpty())
        return fail(UsageOrInvalid, QStringLiteral("keep-waiting needs at least one job id"));

    int code = Success;
    auto store = openForAction(context, JobId(args.first().trimmed().toLower()), &code);
    if (!store)
        return code;
    QJsonArray report;
    int worst = Success;
    for (const QString &arg : args) {
        const JobId id(arg.trimmed().toLower());
        const auto kept = keepWaiting(*store, id);
        QJsonObject entry{{QStringLiteral("id"), id.toString()}, {QStringLiteral("ok"), kept.ok()}};
        if (kept) {
            if (!context.json)
                out(QStringLiteral("Job %1: keep waiting.").arg(id.toString()));
        } else {
            entry.insert(QStringLiteral("error"), kept.error().message);
            const int failed =
                kept.error().kind == ActionError::Kind::Storage ? DataUnavailable : UsageOrInvalid;
            worst = std::max(worst, failed);
            err(QStringLiteral("brieflow-cli: %1").arg(kept.error().message));
        }
        report.append(entry);
    }
    if (context.json)
        outJson(report);
    return worst;
}

} // namespace brieflow::cli
