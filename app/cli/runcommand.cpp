// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `run FILE...` (queue briefs and, with --wait, run them now) and `worker` (run the queue).
#include <QCommandLineParser>
#include <QJsonArray>

#include "app/cli/briefinput.h"
#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "app/cli/enginesession.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

int runCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Queue briefs (a JSON brief, or a CSV with one brief per row; - reads standard input) "
        "and print the new job ids. Nothing is queued unless every brief is valid. With --wait, "
        "run the pipeline now (anything else in the queue runs too), show the progress, then "
        "print each job's result: exit 0 when all succeeded, 1 when any failed, was canceled "
        "or needs attention. Needs REPLICATE_API_TOKEN, or --demo."));
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  QStringLiteral("Run the jobs now and wait for them to end."));
    const QCommandLineOption concurrency(
        QStringLiteral("concurrency"),
        QStringLiteral("With --wait: jobs running at once (default 4)."), QStringLiteral("N"));
    parser.addOptions({wait, concurrency});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Brief files, or -."),
                                 QStringLiteral("FILE..."));
    const QString usage = QStringLiteral("brieflow-cli run [--wait] [--concurrency N] FILE|-");
    if (auto code = parseCommand(parser, arguments, usage))
        return *code;
    const QStringList files = parser.positionalArguments().mid(1);
    if (files.isEmpty())
        return fail(UsageOrInvalid, QStringLiteral("run needs a brief file, or - for standard "
                                                   "input (try run --help)"));
    int jobsAtOnce = 0;
    if (parser.isSet(concurrency)) {
        bool ok = false;
        jobsAtOnce = parser.value(concurrency).toInt(&ok);
        if (!ok || jobsAtOnce < 1 || jobsAtOnce > 64)
            return fail(UsageOrInvalid,
                        QStringLiteral("--concurrency needs a whole number from 1 to 64"));
        if (!parser.isSet(wait))
            return fail(UsageOrInvalid, QStringLiteral("--concurrency only applies with --wait "
                                                       "(a worker runs the queue otherwise)"));
    }

    const QList<FileBriefs> all = readAllBriefs(files);
    for (const FileBriefs &b : all) {
        if (!b.valid()) {
            printProblems(b, files.size() > 1);
            return fail(UsageOrInvalid, QStringLiteral("nothing was queued"));
        }
    }
    int code = Success;
    const auto provider = providerSetup(context, &code);
    if (!provider)
        return code;

    if (const QString dir = context.paths.ensureExists(); !dir.isEmpty())
        return fail(DataUnavailable, QStringLiteral("can't create the folder %1").arg(dir));
    QList<JobRecord> jobs;
    {
        // The main thread's writer only queues; the engine thread opens its own.
        auto store = JobStore::open(context.paths.databaseFile(), JobStore::Mode::Writer);
        if (!store)
            return fail(DataUnavailable, store.error().message);
        auto queued = queueBriefs(*store.value(), all);
        if (!queued)
            return fail(DataUnavailable, queued.error().message);
        jobs = queued.value();
    }
    QList<JobId> ids;
    for (const JobRecord &job : std::as_const(jobs))
        ids.append(job.id);

    if (!parser.isSet(wait)) {
        if (context.json) {
            QJsonArray array;
            for (const JobRecord &job : std::as_const(jobs))
                array.append(jobToJson(job));
            outJson(array);
        } else {
            for (const JobRecord &job : std::as_const(jobs))
                out(job.id.toString());
            err(QStringLiteral("Queued %1 job%2. Run them with: brieflow-cli%3 worker")
                    .arg(jobs.size())
                    .arg(jobs.size() == 1 ? QString() : QStringLiteral("s"),
                         context.demo ? QStringLiteral(" --demo") : QString()));
        }
        return Success;
    }

    if (!context.json) {
        for (const JobRecord &job : std::as_const(jobs))
            err(QStringLiteral("queued %1").arg(job.id.toString()));
    }
    EngineSession::Options options;
    options.goal = EngineSession::Goal::JobsSettled;
    options.jobs = ids;
    options.concurrency = jobsAtOnce;
    EngineSession session(context, *provider, options);
    const int ran = session.exec();
    if (ran == DataUnavailable)
        return ran;
    const int reported = reportJobs(context, ids);
    return ran == Success ? reported : std::max(ran, reported);
}

int workerCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run the queue: follow again whatever was in flight when the last run stopped, then run "
        "pending jobs in queue order, including ones queued later by other processes. Prints a "
        "line per job that ends (--json: one JSON object per line). Runs until SIGINT or "
        "SIGTERM (exit 0), or with --until-idle until nothing is left to do (exit 0 when every "
        "job it finished succeeded, 1 otherwise). Needs REPLICATE_API_TOKEN, or --demo."));
    const QCommandLineOption untilIdle(
        QStringLiteral("until-idle"),
        QStringLiteral("Exit when nothing is runnable and nothing is in flight."));
    const QCommandLineOption concurrency(QStringLiteral("concurrency"),
                                         QStringLiteral("Jobs running at once (default 4)."),
                                         QStringLiteral("N"));
    const QCommandLineOption webhooks(
        QStringLiteral("webhooks"),
        QStringLiteral("Also receive Replicate's webhooks on HOST:PORT (e.g. 127.0.0.1:8787; port "
                       "0 picks a free one); polling continues as a safety net. Replicate must "
                       "reach it: see --public-url."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption publicUrl(
        QStringLiteral("public-url"),
        QStringLiteral("With --webhooks: the https URL Replicate calls (a tunnel or proxy "
                       "forwarding to HOST:PORT, path /webhooks/replicate). Required when HOST is "
                       "not 127.0.0.1."),
        QStringLiteral("URL"));
    parser.addOptions({untilIdle, concurrency, webhooks, publicUrl});
    const QString usage = QStringLiteral("brieflow-cli worker [--until-idle] [--concurrency N] "
                                         "[--webhooks HOST:PORT [--public-url URL]]");
    if (auto code = parseCommand(parser, arguments, usage))
        return *code;
    if (parser.positionalArguments().size() > 1)
        return fail(UsageOrInvalid, QStringLiteral("worker takes no file or job id; queue "
                                                   "briefs with submit or run"));
    int jobsAtOnce = 0;
    if (parser.isSet(concurrency)) {
        bool ok = false;
        jobsAtOnce = parser.value(concurrency).toInt(&ok);
        if (!ok || jobsAtOnce < 1 || jobsAtOnce > 64)
            return fail(UsageOrInvalid,
                        QStringLiteral("--concurrency needs a whole number from 1 to 64"));
    }
    std::optional<WebhookServiceOptions> webhookOptions;
    if (parser.isSet(publicUrl) && !parser.isSet(webhooks))
        return fail(UsageOrInvalid, QStringLiteral("--public-url needs --webhooks HOST:PORT"));
    if (parser.isSet(webhooks)) {
        const auto listen = parseWebhookListen(parser.value(webhooks));
        if (!listen)
            return fail(UsageOrInvalid, QStringLiteral("--webhooks: %1").arg(listen.error()));
        auto options = webhookOptionsFromUser(listen.value().address.toString(),
                                              listen.value().port, parser.value(publicUrl));
        if (!options)
            return fail(UsageOrInvalid, QStringLiteral("%1: %2").arg(
                                            parser.isSet(publicUrl) ? QStringLiteral("--public-url")
                                                                    : QStringLiteral("--webhooks"),
                                            options.error()));
        webhookOptions = std::move(options).value();
    }
    int code = Success;
    const auto provider = providerSetup(context, &code);
    if (!provider)
        return code;

    EngineSession::Options options;
    options.webhooks = webhookOptions;
    options.goal =
        parser.isSet(untilIdle) ? EngineSession::Goal::Idle : EngineSession::Goal::Signal;
    options.concurrency = jobsAtOnce;
    options.reportSettled = true;
    EngineSession session(context, *provider, options);
    const int ran = session.exec();
    if (ran != Success || !parser.isSet(untilIdle))
        return ran;
    const auto &settled = session.settledJobs();
    const bool allSucceeded = std::all_of(settled.cbegin(), settled.cend(), [](JobStatus status) {
        return status == JobStatus::Succeeded;
    });
    return allSucceeded ? Success : JobFailed;
}

} // namespace brieflow::cli
