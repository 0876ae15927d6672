// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/cli.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include "app/cli/clioutput.h"
#include "core/log/processlog.h"

namespace brieflow::cli {

namespace {

struct Command {
    const char *name;
    const char *summary;
    int (*run)(const Context &, const QStringList &);
};

const Command commands[] = {
    {"validate", "Check a brief (JSON) or a batch of briefs (CSV) without queueing anything.",
     validateCommand},
    {"submit", "Validate briefs and add them to the queue as pending jobs.", submitCommand},
    {"run", "Queue briefs; with --wait, run them now and print the result.", runCommand},
    {"worker", "Run the queue (resuming work in flight) until stopped, or --until-idle.",
     workerCommand},
    {"list", "List jobs, newest first (--status to filter).", listCommand},
    {"show", "Show one job: its brief, steps, provider calls, outputs and events.", showCommand},
    {"retry", "Queue a failed, canceled or finished job again from a step.", retryCommand},
    {"cancel", "Cancel a job and its predictions at the provider.", cancelCommand},
    {"stats", "Monitoring figures: failures, durations, webhooks, cost (--since 7d).",
     statsCommand},
    {"stuck", "List stuck jobs with the reason (cancel, retry or keep-waiting each).",
     stuckCommand},
    {"keep-waiting", "Keep waiting for stuck jobs: clear their flag for another while.",
     keepWaitingCommand},
    {"export", "Export jobs' images with their metadata (sidecars, ZIP, PDF sheet).",
     exportCommand},
    {"recall", "Read the brief and prompt embedded in an exported image; --submit queues it.",
     recallCommand},
    {"sandbox", "Run a local Replicate API sandbox on 127.0.0.1 (for --demo and tests).",
     sandboxCommand},
};

QString helpText()
{
    QString text = QStringLiteral(
        "usage: brieflow-cli [--data-dir DIR] [--demo] [--api-base URL] [--json] COMMAND "
        "[ARGS...]\n"
        "\n"
        "Brieflow turns marketing briefs into campaign assets. This is its command-line front "
        "end;\nit shares the job database with the desktop app.\n"
        "\n"
        "Commands:\n");
    for (const Command &c : commands)
        text += QStringLiteral("  %1%2\n")
                    .arg(QLatin1String(c.name), -14)
                    .arg(QLatin1String(c.summary));
    text += QStringLiteral(
        "Run `brieflow-cli COMMAND --help` for a command's own options.\n"
        "\n"
        "Global options:\n"
        "  --data-dir DIR  Keep everything under DIR (also: the BRIEFLOW_DATA_DIR environment\n"
        "                  variable). Default: the system's application data folder.\n"
        "  --demo          Use the separate demo data folder, and run the Replicate sandbox\n"
        "                  in-process instead of calling Replicate (no token needed).\n"
        "  --api-base URL  Call this Replicate-compatible API instead of\n"
        "                  https://api.replicate.com/v1 (e.g. `brieflow-cli sandbox`).\n"
        "  --json          Print machine-readable JSON instead of text.\n"
        "  -h, --help      Show this help.\n"
        "  -v, --version   Show the version.\n"
        "\n"
        "\n"
        "The Replicate API token is read from the REPLICATE_API_TOKEN environment variable and\n"
        "is never printed or stored.\n"
        "\n"
        "Exit codes:\n"
        "  0  success\n"
        "  1  a job failed (or was canceled, or needs attention), or an export failed\n"
        "  2  usage error, or the brief is not valid, or the action is refused\n"
        "  3  the data folder or the job database can't be used, or the engine could not "
        "start\n");
    return text;
}

} // namespace

bool needsGuiApplication(const QStringList &arguments)
{
    // The first word that is not a global option (or its value) is the command.
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--data-dir") || a == QLatin1String("--api-base")) {
            ++i;
            continue;
        }
        if (a.startsWith(QLatin1Char('-')))
            continue;
        return a == QLatin1String("export");
    }
    return false;
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption demo(QStringLiteral("demo"));
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption apiBase(QStringLiteral("api-base"), QString(), QStringLiteral("URL"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")});
    parser.addOptions({dataDir, demo, json, apiBase, help, version});
    parser.addPositionalArgument(QStringLiteral("command"), QString());

    if (!parser.parse(arguments))
        return fail(UsageOrInvalid, parser.errorText() + QStringLiteral(" (try --help)"));
    if (parser.isSet(version)) {
        out(QStringLiteral("brieflow-cli ") + QCoreApplication::applicationVersion());
        return Success;
    }
    const QStringList rest = parser.positionalArguments();
    if (parser.isSet(help) || rest.isEmpty()) {
        if (rest.isEmpty() && !parser.isSet(help)) {
            err(helpText());
            return UsageOrInvalid;
        }
        out(helpText());
        return Success;
    }

    // Global options are also accepted after the command: pull them out of the command's words.
    QStringList commandArgs;
    QString dataDirValue = parser.value(dataDir);
    QString apiBaseValue = parser.value(apiBase);
    Context context;
    context.json = parser.isSet(json);
    bool demoMode = parser.isSet(demo);
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QString &a = rest.at(i);
        if (a == QLatin1String("--json")) {
            context.json = true;
        } else if (a == QLatin1String("--demo")) {
            demoMode = true;
        } else if (a == QLatin1String("--data-dir")) {
            if (i + 1 >= rest.size())
                return fail(UsageOrInvalid, QStringLiteral("--data-dir needs a folder"));
            dataDirValue = rest.at(++i);
        } else if (a.startsWith(QLatin1String("--data-dir="))) {
            dataDirValue = a.mid(11);
        } else if (a == QLatin1String("--api-base")) {
            if (i + 1 >= rest.size())
                return fail(UsageOrInvalid, QStringLiteral("--api-base needs a URL"));
            apiBaseValue = rest.at(++i);
        } else if (a.startsWith(QLatin1String("--api-base="))) {
            apiBaseValue = a.mid(11);
        } else {
            commandArgs << a;
        }
    }
    context.paths = Paths::resolve(Paths::Options{dataDirValue, demoMode, true});
    context.demo = demoMode;
    if (!apiBaseValue.isEmpty()) {
        if (demoMode)
            return fail(UsageOrInvalid,
                        QStringLiteral("--demo runs its own sandbox; leave out --api-base, or "
                                       "leave out --demo to use the API at %1")
                            .arg(apiBaseValue));
        context.apiBase = QUrl(apiBaseValue, QUrl::StrictMode);
        const QString scheme = context.apiBase.scheme();
        if (!context.apiBase.isValid() || context.apiBase.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            return fail(UsageOrInvalid, QStringLiteral("--api-base needs an http(s) URL such as "
                                                       "http://127.0.0.1:8080/v1, not \"%1\"")
                                            .arg(apiBaseValue));
    }

    // The structured log in the data folder's log folder, created at its first line: a command
    // with nothing to say leaves nothing behind.
    JsonLineLog::Options logOptions;
    logOptions.createOnFirstWrite = true;
    const ScopedProcessLog log(context.paths.logDir(), logOptions);

    const QString name = commandArgs.first();
    for (const Command &c : commands) {
        if (name == QLatin1String(c.name))
            return c.run(context, commandArgs);
    }
    return fail(UsageOrInvalid, QStringLiteral("unknown command \"%1\" (try --help)").arg(name));
}

} // namespace brieflow::cli
