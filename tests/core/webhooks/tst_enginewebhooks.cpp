// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// EngineHost with webhooks on, against the real sandbox over loopback: the receiver starts
// before the engine, creates carry its URL, the sandbox's signed deliveries finish the jobs,
// every delivery verifies at its first attempt, and each prediction costs fewer GETs than the
// same jobs with polling alone. Also: a port in use is reported and the engine polls instead.
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/enginehost.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

constexpr int kJobs = 4;

struct RunResult {
    int predictions = 0;
    int gets = 0;
    int succeeded = 0;
    WebhookServiceStats webhooks;
    sandbox::StatsSnapshot sandbox;
    QList<sandbox::WebhookAttempt> attempts;
    double getsPerPrediction() const { return predictions ? double(gets) / predictions : 0; }
};

sandbox::SandboxConfig slowSandbox()
{
    // Long enough that polling alone reads each prediction several times.
    auto config = sandbox::SandboxConfig::forTests();
    config.textLatency = sandbox::LatencyDistribution::fixed(100, 1100);
    config.imageLatency = sandbox::LatencyDistribution::fixed(100, 1300);
    return config;
}

EngineHost::Config hostConfig(const TempDataDir &dir, const QUrl &api)
{
    EngineHost::Config c;
    c.databaseFile = dir.paths().databaseFile();
    c.outputsDir = dir.paths().outputsDir();
    c.apiBaseUrl = api;
    c.token = [] { return QStringLiteral("sandbox-test-token"); };
    c.options.outputPolicy.allowLoopback = true;
    c.options.maxConcurrentJobs = kJobs;
    return c;
}

bool submitJobs(const TempDataDir &dir, int count)
{
    auto store = openTestStore(dir);
    if (!store)
        return false;
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const auto brief = briefFromJson(file.readAll());
    if (!brief)
        return false;
    for (int i = 0; i < count; ++i) {
        if (!submitBrief(*store, *brief, QStringLiteral("test")))
            return false;
    }
    return true;
}

} // namespace

class TestEngineWebhooks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jobsFinishByWebhookWithFewerReads();
    void portInUseFallsBackToPolling();

private:
    void run(bool webhooks, RunResult &result);
};

void TestEngineWebhooks::run(bool webhooks, RunResult &result)
{
    sandbox::SandboxServer server(slowSandbox());
    QVERIFY(server.start());
    TempDataDir dir;
    QVERIFY(submitJobs(dir, kJobs));
    EngineHost::Config config = hostConfig(dir, server.baseUrl());
    config.webhooksEnabled = webhooks;
    EngineHost host(config);
    QSignalSpy hooks(&host, &EngineHost::webhooksStarted);
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy settled(&host, &EngineHost::jobSettled);
    host.start();
    QVERIFY(started.wait(5000));
    QVERIFY2(started.first().at(0).toBool(), qPrintable(started.first().at(1).toString()));
    if (webhooks) {
        QCOMPARE(hooks.size(), 1); // before started()
        QVERIFY2(hooks.first().at(0).toBool(), qPrintable(hooks.first().at(3).toString()));
        const QUrl url = hooks.first().at(1).toUrl();
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(url.port() > 0);
        QCOMPARE(url, hooks.first().at(2).toUrl()); // no public URL: the local one
    } else {
        QCOMPARE(hooks.size(), 0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(settled.size() == kJobs, 30'000);
    for (const QList<QVariant> &args : settled) {
        if (toString(args.at(1).value<JobStatus>()) == QStringLiteral("succeeded"))
            ++result.succeeded;
    }
    QSignalSpy statsSpy(&host, &EngineHost::webhookStats);
    host.requestWebhookStats();
    QVERIFY(statsSpy.wait(5000));
    result.webhooks = statsSpy.first().at(0).value<WebhookServiceStats>();
    host.stop();
    // Deliveries still being retried would arrive at a closed port: count after the stop.
    result.sandbox = server.stats();
    result.attempts = server.webhookAttempts();
    result.predictions = result.sandbox.predictionsCreated;
    result.gets =
        result.sandbox.requestsPerEndpoint.value(QStringLiteral("GET /v1/predictions/{id}"));
}

void TestEngineWebhooks::jobsFinishByWebhookWithFewerReads()
{
    RunResult polling;
    run(false, polling);
    if (QTest::currentTestFailed())
        return;
    RunResult hooked;
    run(true, hooked);
    if (QTest::currentTestFailed())
        return;
    qInfo("polling alone: %d predictions, %d GETs (%.2f each); with webhooks: %d predictions, "
          "%d GETs (%.2f each), %llu deliveries verified",
          polling.predictions, polling.gets, polling.getsPerPrediction(), hooked.predictions,
          hooked.gets, hooked.getsPerPrediction(), hooked.webhooks.receiver.verified);

    QCOMPARE(polling.succeeded, kJobs);
    QCOMPARE(hooked.succeeded, kJobs);
    QCOMPARE(hooked.predictions, polling.predictions);
    QVERIFY(polling.predictions >= 3 * kJobs);
    QCOMPARE(polling.webhooks.receiver.verified, 0u); // off: zeros
    QCOMPARE(polling.sandbox.webhookAttempts, 0);

    // Every prediction sent its start and completed deliveries; each verified at once.
    QCOMPARE(hooked.sandbox.webhooksPerEvent.value(QStringLiteral("start")), hooked.predictions);
    QCOMPARE(hooked.sandbox.webhooksPerEvent.value(QStringLiteral("completed")),
             hooked.predictions);
    QCOMPARE(hooked.sandbox.webhooksPerEvent.value(QStringLiteral("output")), 0);
    QCOMPARE(hooked.sandbox.webhookFailedAttempts, 0);
    QCOMPARE(hooked.sandbox.webhookDelivered, 2 * hooked.predictions);
    QCOMPARE(hooked.webhooks.receiver.verified, quint64(2 * hooked.predictions));
    QCOMPARE(hooked.webhooks.receiver.rejected(), 0u);
    QCOMPARE(hooked.webhooks.parseFailures, 0u);
    QVERIFY(hooked.webhooks.secretKnown);
    for (const sandbox::WebhookAttempt &attempt : hooked.attempts)
        QVERIFY(attempt.delivered && attempt.attempt == 1);
    // Jobs finished by webhook, not by polling noticing.
    QVERIFY2(hooked.webhooks.finishedAfterWebhook >= quint64(hooked.predictions - 1),
             qPrintable(QString::number(hooked.webhooks.finishedAfterWebhook)));

    // The point: about one confirming GET per prediction instead of a poll series.
    QVERIFY2(hooked.getsPerPrediction() <= 1.5, qPrintable(QString::number(hooked.gets)));
    QVERIFY2(polling.getsPerPrediction() >= 2.5, qPrintable(QString::number(polling.gets)));
    QVERIFY(hooked.gets * 2 <= polling.gets);
}

void TestEngineWebhooks::portInUseFallsBackToPolling()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    sandbox::SandboxServer server(sandbox::SandboxConfig::forTests());
    QVERIFY(server.start());
    TempDataDir dir;
    QVERIFY(submitJobs(dir, 1));
    EngineHost::Config config = hostConfig(dir, server.baseUrl());
    config.webhooksEnabled = true;
    config.webhooks.receiver.port = squatter.serverPort();
    EngineHost host(config);
    QSignalSpy hooks(&host, &EngineHost::webhooksStarted);
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy settled(&host, &EngineHost::jobSettled);
    host.start();
    QVERIFY(started.wait(5000));
    QVERIFY(started.first().at(0).toBool());
    QCOMPARE(hooks.size(), 1);
    QVERIFY(!hooks.first().at(0).toBool());
    const QString error = hooks.first().at(3).toString();
    QVERIFY2(error.contains(QString::number(squatter.serverPort())), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(settled.size() == 1, 20'000);
    QCOMPARE(toString(settled.first().at(1).value<JobStatus>()), QStringLiteral("succeeded"));
    // Creates carried no webhook: nothing was sent.
    QCOMPARE(server.stats().webhookAttempts, 0);
    QCOMPARE(server.stats().webhooksPerEvent.value(QStringLiteral("start")), 0);
}

QTEST_GUILESS_MAIN(TestEngineWebhooks)
#include "tst_enginewebhooks.moc"
