// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `sandbox`: run the local Replicate sandbox on 127.0.0.1 until SIGINT or SIGTERM.
#include <climits>
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "app/cli/signals.h"
#include "core/sandbox/sandboxserver.h"

namespace brieflow::cli {

namespace {

bool readNumber(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min,
                qint64 max, qint64 *value)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const qint64 v = parser.value(option).toLongLong(&ok);
    if (!ok || v < min || v > max)
        return false;
    *value = v;
    return true;
}

} // namespace

int sandboxCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port on 127.0.0.1 (default: any free port)."),
                                  QStringLiteral("N"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("Seed for ids, latencies and outputs (default 1)."),
        QStringLiteral("S"));
    const QCommandLineOption dataTtl(
        QStringLiteral("data-ttl"),
        QStringLiteral("Seconds before a finished prediction's data is removed (default 3600)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption latency(
        QStringLiteral("latency-ms"),
        QStringLiteral("Typical model time in ms: about a fifth queued, the rest running "
                       "(default: 0.2-0.6 s + 1-2 s for text, 0.3-0.8 s + 1.5-3 s for images)."),
        QStringLiteral("MS"));
    parser.addOptions({port, seed, dataTtl, latency});
    const QString usage = QStringLiteral(
        "brieflow-cli sandbox [--port N] [--seed S] [--data-ttl SECONDS] [--latency-ms MS]");
    if (const auto exit = parseCommand(parser, arguments, usage))
        return *exit;

    sandbox::SandboxConfig config;
    qint64 portValue = 0;
    qint64 seedValue = 1;
    qint64 ttlValue = 3600;
    qint64 latencyValue = -1;
    if (!readNumber(parser, port, 0, 65535, &portValue)
        || !readNumber(parser, seed, 0, LLONG_MAX, &seedValue)
        || !readNumber(parser, dataTtl, 0, 365LL * 24 * 3600, &ttlValue)
        || !readNumber(parser, latency, 0, 3600 * 1000, &latencyValue))
        return fail(UsageOrInvalid, QStringLiteral("invalid number\nusage: ") + usage);
    config.port = static_cast<quint16>(portValue);
    config.seed = static_cast<quint64>(seedValue);
    config.dataTtlMs = ttlValue * 1000;
    if (latencyValue >= 0) {
        const int ms = static_cast<int>(latencyValue);
        const sandbox::LatencyDistribution spread{ms / 10, ms * 3 / 10, ms * 7 / 10, ms};
        config.textLatency = spread;
        config.imageLatency = spread;
    }

    sandbox::SandboxServer server(config);
    if (!server.start())
        return fail(DataUnavailable, server.errorString());
    onTerminationSignals(&server, [] { QCoreApplication::quit(); });
    if (context.json) {
        outJson(QJsonObject{{QStringLiteral("base_url"), server.baseUrl().toString()},
                            {QStringLiteral("webhook_secret"), server.webhookSecret()},
                            {QStringLiteral("control_url"),
                             QString(server.origin() + QStringLiteral("/__control"))}});
    } else {
        out(QStringLiteral("Replicate sandbox listening on %1").arg(server.baseUrl().toString()));
        out(QStringLiteral(
                "Any token works except ones starting with r8_invalid. Webhook secret: %1")
                .arg(server.webhookSecret()));
        out(QStringLiteral("Control: %1/__control, statistics: %1/__stats. Stop with Ctrl+C.")
                .arg(server.origin()));
    }
    std::fflush(stdout); // whoever started us waits for the URL
    return QCoreApplication::exec() == 0 ? Success : JobFailed;
}

} // namespace brieflow::cli
