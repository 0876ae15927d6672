// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// EngineHost with webhooks on, against the real sandbox over loopback: the receiver starts
// before the engine, creates carry its URL, the sandbox's signed deliveries finish the jobs,
// every delivery verifies at its first attempt, and each prediction costs fewer GETs than the
// same jobs with polling alone. Also: a port in use is reported and the engine polls instead.
// Every delivery is recorded in the job database (webhook_deliveries) for the Monitoring view:
// verified, duplicates, forged and stale ones rejected with their reason, and predictions whose
// final delivery was dropped (a relay in front of the receiver) seen by polling.
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/enginehost.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "tests/core/webhooks/deliveryclient.h"
#include "tests/support/fakehttpserver.h"
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
    WebhookFigures recorded; ///< what the job database says about the deliveries
    double getsPerPrediction() const { return predictions ? double(gets) / predictions : 0; }
};

/** The webhook figures of the Monitoring view from the job database (the last hour and next). */
WebhookFigures recordedDeliveries(const TempDataDir &dir)
{
    auto store = openTestStore(dir);
    if (!store)
        return {};
    MonitoringQuery query;
    query.from = QDateTime::currentDateTimeUtc().addSecs(-3600);
    query.to = QDateTime::currentDateTimeUtc().addSecs(3600);
    auto figures = store->monitoringFigures(query);
    if (!figures) {
        qWarning("monitoringFigures: %s", qPrintable(figures.error().message));
        return {};
    }
    return figures->webhooks;
}

int rejectedFor(const WebhookFigures &figures, const QString &reason)
{
    for (const WebhookFigures::Reason &r : figures.rejectedBy) {
        if (r.reason == reason)
            return r.count;
    }
    return 0;
}

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
    void deliveriesAreRecorded();
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
    result.recorded = recordedDeliveries(dir);
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

    // Each delivery is in the job database: every one verified (none late, rejected or
    // duplicated), and a prediction polled to its end only if the stats say so.
    QCOMPARE(hooked.recorded.received, 2 * hooked.predictions);
    QCOMPARE(hooked.recorded.verified, 2 * hooked.predictions);
    QCOMPARE(hooked.recorded.verified, int(hooked.webhooks.notified + hooked.webhooks.early));
    QCOMPARE(hooked.recorded.rejected, 0);
    QCOMPARE(hooked.recorded.duplicates, 0);
    QCOMPARE(hooked.recorded.late, 0);
    QCOMPARE(hooked.recorded.droppedThenPolled, int(hooked.webhooks.finishedByPolling));
    QCOMPARE(polling.recorded.received, 0);
    QCOMPARE(polling.recorded.droppedThenPolled, 0); // no webhooks expected: nothing dropped

    // The point: about one confirming GET per prediction instead of a poll series.
    QVERIFY2(hooked.getsPerPrediction() <= 1.5, qPrintable(QString::number(hooked.gets)));
    QVERIFY2(polling.getsPerPrediction() >= 2.5, qPrintable(QString::number(polling.gets)));
    QVERIFY(hooked.gets * 2 <= polling.gets);
}

void TestEngineWebhooks::deliveriesAreRecorded()
{
    // The sandbox sends to a relay, which passes deliveries on to the receiver — except the
    // final one of every image prediction (dropped: polling must notice those), and the first
    // one it passes on goes twice (a duplicate). Forged and stale deliveries come on top.
    auto sandboxConfig = sandbox::SandboxConfig::forTests();
    sandboxConfig.textLatency = sandbox::LatencyDistribution::fixed(0, 100);
    sandboxConfig.imageLatency = sandbox::LatencyDistribution::fixed(0, 200);
    sandbox::SandboxServer server(sandboxConfig);
    QVERIFY(server.start());
    constexpr int jobs = 3;
    TempDataDir dir;

    FakeHttpServer relay;
    QVERIFY(relay.listen());
    QUrl receiverUrl;
    QNetworkAccessManager network;
    QSet<QByteArray> forwarded;
    int forwardedAnswered = 0;
    int forwardedNot2xx = 0;
    int dropped = 0;
    bool duplicateSent = false;
    std::function<void(const FakeHttpServer::Request &)> forward =
        [&](const FakeHttpServer::Request &request) {
            QNetworkRequest out(receiverUrl);
            out.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            for (const QByteArray &name :
                 {QByteArray("webhook-id"), QByteArray("webhook-timestamp"),
                  QByteArray("webhook-signature")})
                out.setRawHeader(name, request.header(name));
            const bool first = !duplicateSent;
            duplicateSent = true;
            forwarded.insert(request.header("webhook-id"));
            QNetworkReply *reply = network.post(out, request.body);
            connect(reply, &QNetworkReply::finished, this, [&, reply, request, first] {
                reply->deleteLater();
                ++forwardedAnswered;
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status < 200 || status > 299)
                    ++forwardedNot2xx;
                if (first) // the same delivery once more, after it was verified
                    forward(request);
            });
        };
    relay.setHandler([&](const FakeHttpServer::Request &request) {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const QString status = body.value(QStringLiteral("status")).toString();
        const bool final = status == QLatin1String("succeeded") || status == QLatin1String("failed")
                           || status == QLatin1String("canceled");
        if (final && body.value(QStringLiteral("model")).toString().contains(u"flux")) {
            ++dropped;
        } else {
            QTimer::singleShot(0, this, [&forward, request] { forward(request); });
        }
        return FakeHttpServer::Response::json(204, {});
    });

    EngineHost::Config config = hostConfig(dir, server.baseUrl());
    config.webhooksEnabled = true;
    config.webhooks.publicUrl = relay.origin().resolved(QUrl(QStringLiteral("/hook")));
    config.webhooks.safetyNetInterval = 500ms; // a dropped final delivery is polled soon
    EngineHost host(config);
    QSignalSpy hooks(&host, &EngineHost::webhooksStarted);
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy settled(&host, &EngineHost::jobSettled);
    host.start();
    QVERIFY(started.wait(5000));
    QVERIFY2(started.first().at(0).toBool(), qPrintable(started.first().at(1).toString()));
    QCOMPARE(hooks.size(), 1);
    QCOMPARE(hooks.first().at(1).toUrl(), config.webhooks.publicUrl);
    receiverUrl = hooks.first().at(2).toUrl();
    QVERIFY(receiverUrl.port() > 0);

    // Forged (a wrong signature, twice) and stale (signed, but an hour old) deliveries.
    DeliveryClient direct(receiverUrl);
    const QString secret = server.webhookSecret();
    const QString wrongSecret = sandbox::makeWebhookSecret(0xbad);
    const QByteArray fake = R"({"id":"forged","status":"succeeded"})";
    // 503 (no_secret) until the service has fetched its secret; posted again until then.
    int status = 0;
    QElapsedTimer waiting;
    waiting.start();
    while ((status = direct.post(
                {QStringLiteral("msg_forged_1"), QDateTime::currentSecsSinceEpoch(), fake, {}},
                wrongSecret))
               == 503
           && waiting.elapsed() < 5000)
        QTest::qWait(50);
    QCOMPARE(status, 401);
    QCOMPARE(
        direct.post({QStringLiteral("msg_forged_2"), QDateTime::currentSecsSinceEpoch(), fake, {}},
                    wrongSecret),
        401);
    QCOMPARE(direct.post(
                 {QStringLiteral("msg_stale"), QDateTime::currentSecsSinceEpoch() - 3600, fake, {}},
                 secret),
             401);

    // The secret is known now (deliveries verify): the jobs go.
    QVERIFY(submitJobs(dir, jobs));
    host.wake();
    QTRY_VERIFY_WITH_TIMEOUT(settled.size() == jobs, 30'000);
    for (const QList<QVariant> &args : std::as_const(settled))
        QCOMPARE(toString(args.at(1).value<JobStatus>()), QStringLiteral("succeeded"));
    QTRY_COMPARE_WITH_TIMEOUT(forwardedAnswered, int(forwarded.size()) + 1, 5000);
    QSignalSpy statsSpy(&host, &EngineHost::webhookStats);
    host.requestWebhookStats();
    QVERIFY(statsSpy.wait(5000));
    const auto stats = statsSpy.first().at(0).value<WebhookServiceStats>();
    host.stop();

    const int predictions = server.stats().predictionsCreated;
    QCOMPARE(predictions, 3 * jobs);
    QCOMPARE(dropped, jobs); // one image per job, its final delivery dropped
    QCOMPARE(forwardedNot2xx, 0);
    const WebhookFigures recorded = recordedDeliveries(dir);
    qInfo("recorded: %d received, %d verified, %d duplicates, %d late, %d rejected, %d dropped "
          "then polled; forwarded %lld distinct",
          recorded.received, recorded.verified, recorded.duplicates, recorded.late,
          recorded.rejected, recorded.droppedThenPolled, qlonglong(forwarded.size()));
    // Every genuine delivery that reached the receiver is there once, authentic; the repeat is a
    // duplicate; forged and stale ones are rejected with their reason; no-secret 503s (before
    // the secret was fetched) are rejections too.
    QCOMPARE(recorded.verified + recorded.late, int(forwarded.size()));
    QCOMPARE(recorded.verified, int(stats.notified + stats.early));
    QCOMPARE(recorded.duplicates, 1);
    QCOMPARE(rejectedFor(recorded, QStringLiteral("bad_signature")), 2);
    QCOMPARE(rejectedFor(recorded, QStringLiteral("stale_timestamp")), 1);
    QCOMPARE(recorded.rejected, 3 + rejectedFor(recorded, QStringLiteral("no_secret")));
    QCOMPARE(recorded.received,
             recorded.verified + recorded.late + recorded.duplicates + recorded.rejected);
    // Each dropped final delivery: the prediction was seen final by polling and recorded so.
    QVERIFY2(recorded.droppedThenPolled >= jobs,
             qPrintable(QString::number(recorded.droppedThenPolled)));
    QCOMPARE(recorded.droppedThenPolled, int(stats.finishedByPolling));
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
