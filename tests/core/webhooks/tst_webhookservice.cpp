// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// WebhookService over real loopback sockets: the secret fetched from the sandbox, the sandbox's
// own signed deliveries driving a PredictionFollower (one confirming GET instead of polling),
// 503 until a secret is known and the fetch retried, a rotated secret fetched again (rate
// limited), the URL rules and a port in use. Also PollScheduler's safety-net mode.
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "core/provider/providerclock.h"
#include "core/replicate/pollscheduler.h"
#include "core/replicate/predictionfollower.h"
#include "core/replicate/replicateclient.h"
#include "core/sandbox/sandboxserver.h"
#include "core/sandbox/webhooksigner.h"
#include "core/util/canonicaljson.h"
#include "core/util/clock.h"
#include "core/webhooks/webhookservice.h"
#include "tests/core/webhooks/deliveryclient.h"
#include "tests/support/fakehttpserver.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

const QString kToken = QStringLiteral("r8_WebhookServiceTestToken000000000000000");

std::unique_ptr<replicate::ReplicateClient> clientFor(const QUrl &baseUrl)
{
    replicate::ReplicateClient::Options o;
    o.baseUrl = baseUrl;
    o.token = [] { return kToken; };
    o.retry.baseDelay = 10ms;
    o.retry.maxDelay = 20ms;
    o.retry.maxAttempts = 2;
    return std::make_unique<replicate::ReplicateClient>(o);
}

QByteArray predictionBody(const QString &id, const QString &status)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                     {QStringLiteral("status"), status},
                                     {QStringLiteral("model"), QStringLiteral("a/b")},
                                     {QStringLiteral("input"), QJsonObject{}}})
        .toJson(QJsonDocument::Compact);
}

FakeHttpServer::Response secretResponse(const QString &secret)
{
    return FakeHttpServer::Response::json(
        200, QJsonDocument(QJsonObject{{QStringLiteral("key"), secret}}).toJson());
}

} // namespace

class TestWebhookService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void urlRules_data();
    void urlRules();
    void secretFetchedFromSandbox();
    void sandboxDeliveriesFinishPredictions();
    void noSecretAnswers503AndRetries();
    void rotatedSecretIsFetchedAgain();
    void portInUseIsAClearError();
    void nonLoopbackListenNeedsPublicUrl();
    void schedulerSafetyNetMode();
};

void TestWebhookService::urlRules_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::newRow("https") << QStringLiteral("https://hooks.example.com/replicate") << true;
    QTest::newRow("http loopback") << QStringLiteral("http://127.0.0.1:8080/w") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:8080/w") << true;
    QTest::newRow("http ipv6 loopback") << QStringLiteral("http://[::1]:8080/w") << true;
    QTest::newRow("http public") << QStringLiteral("http://hooks.example.com/w") << false;
    QTest::newRow("http lan") << QStringLiteral("http://192.168.1.5/w") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/w") << false;
    QTest::newRow("relative") << QStringLiteral("/webhooks") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestWebhookService::urlRules()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    const auto result = WebhookService::checkWebhookUrl(QUrl(url));
    QCOMPARE(bool(result), ok);
    if (!ok)
        QVERIFY(!result.error().isEmpty());
}

void TestWebhookService::secretFetchedFromSandbox()
{
    sandbox::SandboxServer server(sandbox::SandboxConfig::forTests());
    QVERIFY(server.start());
    auto client = clientFor(server.baseUrl());
    WebhookService service(*client, {}, *SystemClock::instance());
    QSignalSpy ready(&service, &WebhookService::secretReady);
    QVERIFY(service.start());
    QVERIFY(service.isListening());
    QCOMPARE(service.publicUrl(), service.localUrl());
    QCOMPARE(service.localUrl().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(ready.wait(5000));
    QVERIFY(service.hasSecret());
    QCOMPARE(service.stats().secretFetches, 1u);
    QCOMPARE(service.stats().secretFetchFailures, 0u);

    // It is the sandbox's secret: a delivery signed with it verifies, one with another fails.
    DeliveryClient sender(service.publicUrl());
    QCOMPARE(sender.post({QStringLiteral("msg_ok"),
                          QDateTime::currentSecsSinceEpoch(),
                          predictionBody(QStringLiteral("p1"), QStringLiteral("processing")),
                          {}},
                         server.webhookSecret()),
             204);
    QCOMPARE(sender.post({QStringLiteral("msg_bad"),
                          QDateTime::currentSecsSinceEpoch(),
                          predictionBody(QStringLiteral("p1"), QStringLiteral("processing")),
                          {}},
                         sandbox::makeWebhookSecret(99)),
             401);
    const WebhookServiceStats stats = service.stats();
    QCOMPARE(stats.receiver.verified, 1u);
    QCOMPARE(stats.receiver.badSignature, 1u);
    QCOMPARE(stats.late, 1u); // no follower attached: nobody follows p1

    service.stop();
    QVERIFY(!service.isListening());
    QVERIFY(!service.hasSecret());
}

void TestWebhookService::sandboxDeliveriesFinishPredictions()
{
    auto config = sandbox::SandboxConfig::forTests();
    config.textLatency = sandbox::LatencyDistribution::fixed(100, 1200);
    sandbox::SandboxServer server(config);
    QVERIFY(server.start());
    auto client = clientFor(server.baseUrl());
    PredictionFollower follower(*client, SteadyClock::instance());
    WebhookService service(*client, {}, *SystemClock::instance());
    QSignalSpy ready(&service, &WebhookService::secretReady);
    QVERIFY(service.start());
    service.attach(&follower);
    QVERIFY(ready.wait(5000));
    QVERIFY(follower.poller().scheduler().externalUpdatesExpected());

    constexpr int kPredictions = 4;
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    for (int i = 0; i < kPredictions; ++i) {
        CreateRequest request;
        request.model = *ModelRef::parse(QStringLiteral("meta/meta-llama-3-8b-instruct"));
        request.input = *canonicalJson(
            QStringLiteral(R"({"prompt":"A slogan for product %1"})").arg(i).toUtf8());
        request.cancelAfter = 60s;
        request.webhook = service.publicUrl();
        request.webhookEventsFilter = {QStringLiteral("start"), QStringLiteral("completed")};
        client->createPrediction(request, this, [&follower](const ProviderResult<Prediction> &r) {
            QVERIFY(r);
            follower.follow(r.value());
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return finished.size() == kPredictions; }, 15'000));
    for (const QList<QVariant> &args : finished)
        QVERIFY(args.at(0).value<Prediction>().status == PredictionStatus::Succeeded);

    // Each prediction: a start and a completed delivery, each verified at the first attempt.
    const WebhookServiceStats stats = service.stats();
    QCOMPARE(stats.receiver.verified, quint64(2 * kPredictions));
    QCOMPARE(stats.receiver.rejected(), 0u);
    QCOMPARE(stats.parseFailures, 0u);
    QCOMPARE(stats.notified + stats.early, quint64(2 * kPredictions));
    QCOMPARE(stats.finishedAfterWebhook, quint64(kPredictions));
    QCOMPARE(stats.finishedByPolling, 0u);
    for (const sandbox::WebhookAttempt &attempt : server.webhookAttempts()) {
        QVERIFY(attempt.delivered);
        QCOMPARE(attempt.attempt, 1);
    }
    // The run takes 1.3 s: plain polling would read each prediction 5–6 times (0.5 s first,
    // then backing off); here one read confirms the final state the webhook reported.
    qInfo("GETs for %d predictions: %llu", kPredictions, follower.readsSent());
    QCOMPARE(follower.readsSent(), quint64(kPredictions));
}

void TestWebhookService::noSecretAnswers503AndRetries()
{
    FakeHttpServer api;
    QVERIFY(api.listen());
    const QString secret = sandbox::makeWebhookSecret(5);
    bool available = false;
    api.setHandler([&](const FakeHttpServer::Request &request) {
        if (request.path() != QStringLiteral("/v1/webhooks/default/secret"))
            return FakeHttpServer::Response::json(404, "{}");
        return available ? secretResponse(secret)
                         : FakeHttpServer::Response::json(
                             503, R"({"title":"Service Unavailable","status":503})");
    });
    auto client = clientFor(api.baseUrl());
    WebhookServiceOptions options;
    options.secretRetryInitial = 100ms;
    options.secretRetryMax = 400ms;
    WebhookService service(*client, options, *SystemClock::instance());
    QSignalSpy problems(&service, &WebhookService::secretUnavailable);
    QSignalSpy ready(&service, &WebhookService::secretReady);
    QVERIFY(service.start());
    QVERIFY(problems.wait(5000));
    QVERIFY(!service.hasSecret());
    // The message names the failure, never a secret.
    QVERIFY(problems.at(0).at(0).toString().contains(QStringLiteral("server_error")));

    DeliveryClient sender(service.publicUrl());
    const Delivery delivery{QStringLiteral("msg_1"),
                            QDateTime::currentSecsSinceEpoch(),
                            predictionBody(QStringLiteral("p1"), QStringLiteral("starting")),
                            {}};
    QCOMPARE(sender.post(delivery, secret), 503);
    QCOMPARE(service.stats().receiver.badSecret, 1u);

    // Fetched again with backoff until it works; then the sender's retry verifies.
    QVERIFY(QTest::qWaitFor([&] { return service.stats().secretFetchFailures >= 3; }, 5000));
    available = true;
    QVERIFY(ready.wait(5000));
    QVERIFY(service.hasSecret());
    QCOMPARE(sender.post(delivery, secret), 204);
    QVERIFY(service.stats().secretFetches >= 4);
}

void TestWebhookService::rotatedSecretIsFetchedAgain()
{
    FakeHttpServer api;
    QVERIFY(api.listen());
    QString current = sandbox::makeWebhookSecret(1);
    api.setHandler([&](const FakeHttpServer::Request &) { return secretResponse(current); });
    auto client = clientFor(api.baseUrl());
    WebhookServiceOptions options;
    options.refreshInterval = 600ms;
    WebhookService service(*client, options, *SystemClock::instance());
    QSignalSpy ready(&service, &WebhookService::secretReady);
    QVERIFY(service.start());
    QVERIFY(ready.wait(5000));
    DeliveryClient sender(service.publicUrl());
    const auto body = predictionBody(QStringLiteral("p1"), QStringLiteral("processing"));
    QCOMPARE(sender.post({QStringLiteral("msg_a"), QDateTime::currentSecsSinceEpoch(), body, {}},
                         current),
             204);

    // The account's secret rotates: the first delivery signed with the new one fails, the
    // secret is fetched again at once, and the sender's retry verifies.
    current = sandbox::makeWebhookSecret(2);
    const Delivery rotated{QStringLiteral("msg_b"), QDateTime::currentSecsSinceEpoch(), body, {}};
    QCOMPARE(sender.post(rotated, current), 401);
    QVERIFY(ready.wait(5000));
    QCOMPARE(service.stats().secretRefreshes, 1u);
    QCOMPARE(service.stats().secretRotations, 1u);
    QCOMPARE(sender.post(rotated, current), 204);

    // A burst of forgeries costs at most one more fetch per refresh interval.
    const int fetchesBefore = api.requestCount();
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(sender.post({QStringLiteral("msg_f%1").arg(i), QDateTime::currentSecsSinceEpoch(),
                              body, QStringLiteral("v1,Zm9yZ2VkZm9yZ2VkZm9yZ2VkZm9yZ2Vk")},
                             current),
                 401);
    }
    QTest::qWait(900);
    QVERIFY2(api.requestCount() - fetchesBefore <= 2,
             qPrintable(QString::number(api.requestCount() - fetchesBefore)));
    QVERIFY(api.requestCount() - fetchesBefore >= 1);
    QCOMPARE(service.stats().secretRotations, 1u); // same secret: nothing changed
    QVERIFY(service.hasSecret());
}

void TestWebhookService::portInUseIsAClearError()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    FakeHttpServer api;
    QVERIFY(api.listen());
    auto client = clientFor(api.baseUrl());
    WebhookServiceOptions options;
    options.receiver.port = squatter.serverPort();
    WebhookService service(*client, options, *SystemClock::instance());
    const auto started = service.start();
    QVERIFY(!started);
    QVERIFY2(started.error().contains(QString::number(squatter.serverPort())),
             qPrintable(started.error()));
    QVERIFY(!service.isListening());
    QCOMPARE(api.requestCount(), 0); // no secret fetched for a receiver that does not run
}

void TestWebhookService::nonLoopbackListenNeedsPublicUrl()
{
    FakeHttpServer api;
    QVERIFY(api.listen());
    auto client = clientFor(api.baseUrl());
    {
        WebhookServiceOptions options;
        options.receiver.address = QHostAddress(QHostAddress::AnyIPv4);
        WebhookService service(*client, options, *SystemClock::instance());
        const auto started = service.start();
        QVERIFY(!started);
        QVERIFY(started.error().contains(QStringLiteral("public https URL")));
        QVERIFY(!service.isListening());
    }
    {
        WebhookServiceOptions options;
        options.publicUrl = QUrl(QStringLiteral("http://hooks.example.com/replicate"));
        WebhookService service(*client, options, *SystemClock::instance());
        const auto started = service.start();
        QVERIFY(!started);
        QVERIFY(started.error().contains(QStringLiteral("https")));
    }
    {
        WebhookServiceOptions options;
        options.publicUrl = QUrl(QStringLiteral("https://hooks.example.com/replicate"));
        WebhookService service(*client, options, *SystemClock::instance());
        QVERIFY(service.start());
        QCOMPARE(service.publicUrl(), options.publicUrl);
        QCOMPARE(service.localUrl().host(), QStringLiteral("127.0.0.1"));
    }
}

void TestWebhookService::schedulerSafetyNetMode()
{
    using TimePoint = PollScheduler::TimePoint;
    const TimePoint t0 = TimePoint() + 1h;
    PollPolicy policy;
    PollScheduler scheduler(policy);
    scheduler.add(QStringLiteral("plain"), t0, std::nullopt);
    scheduler.setExternalUpdatesExpected(true);
    scheduler.add(QStringLiteral("hooked"), t0, 3000ms);
    scheduler.setExternalUpdatesExpected(false);

    QCOMPARE(*scheduler.dueAt(QStringLiteral("plain")), t0 + policy.firstPoll);
    QCOMPARE(*scheduler.dueAt(QStringLiteral("hooked")), t0 + policy.webhookFirstPoll);
    // Starting (an expected run time) does not pull a webhook-watched prediction forward.
    scheduler.setExpected(QStringLiteral("hooked"), t0 + 100ms, 1000ms);
    QCOMPARE(*scheduler.dueAt(QStringLiteral("hooked")), t0 + policy.webhookFirstPoll);

    // After each safety-net poll the next is one safetyNetInterval later: a dropped delivery
    // is noticed at most that long after the prediction finished.
    TimePoint now = t0 + policy.webhookFirstPoll;
    for (int i = 0; i < 3; ++i) {
        QStringList due = scheduler.takeAllDue(now);
        QVERIFY(due.contains(QStringLiteral("hooked")));
        for (const QString &id : due)
            scheduler.markPolled(id, now);
        QCOMPARE(*scheduler.dueAt(QStringLiteral("hooked")), now + policy.safetyNetInterval);
        QVERIFY(*scheduler.dueAt(QStringLiteral("plain")) - now <= policy.maxInterval);
        now += policy.safetyNetInterval;
    }
}

QTEST_GUILESS_MAIN(TestWebhookService)
#include "tst_webhookservice.moc"
