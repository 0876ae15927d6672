// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Scripted faults, statistics and the HTTP control surface (/__control, /__stats), plus the
// `brieflow-cli sandbox` command.
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include "core/sandbox/sandboxserver.h"
#include "sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

const QString CreateImage = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");
const QByteArray ImageBody = "{\"input\":{\"prompt\":\"a lighthouse\"}}";

FaultRule rule(FaultKind kind, const QString &method = QStringLiteral("POST"),
               const QString &path = QStringLiteral("/v1/models/*/predictions"), int count = 1)
{
    FaultRule r;
    r.kind = kind;
    r.method = method;
    r.path = path;
    r.count = count;
    return r;
}

} // namespace

class TestSandboxFaults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void serverErrorBeforeCreate();
    void connectionResetAfterCreate();
    void delayedAnswerBeyondClientTimeout();
    void rateLimitStormProbability();
    void rateLimitLockout();
    void malformedJson();
    void failedPrediction();
    void outputsExpireImmediately();
    void statistics();
    void peakInFlight();
    void httpControlSurface();
    void cliCommand();

private:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
};

void TestSandboxFaults::init()
{
    m_server = std::make_unique<SandboxServer>(testConfig());
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

void TestSandboxFaults::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void TestSandboxFaults::serverErrorBeforeCreate()
{
    FaultRule r = rule(FaultKind::HttpError);
    r.status = 503;
    m_server->addFault(r);
    const HttpResult failed = m_client->post(CreateImage, ImageBody);
    QCOMPARE(failed.status, 503);
    QCOMPARE(failed.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(m_server->stats().predictionsCreated, 0);
    QCOMPARE(m_client->post(CreateImage, ImageBody).status, 201); // count was 1
    QCOMPARE(m_server->stats().faultsInjected.value(QStringLiteral("http_error")), 1);
    // Only matching requests: a GET is not affected by a POST rule.
    m_server->addFault(rule(FaultKind::HttpError));
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions")).status, 200);
}

void TestSandboxFaults::connectionResetAfterCreate()
{
    // A raw socket sees exactly what the sandbox does: the POST creates, then the connection
    // is reset without a byte of answer.
    m_server->addFault(rule(FaultKind::ConnectionReset));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write(
        "POST /v1/models/black-forest-labs/flux-schnell/predictions HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nAuthorization: Bearer r8_x\r\nContent-Type: application/json\r\n"
        "Content-Length: "
        + QByteArray::number(ImageBody.size()) + "\r\n\r\n" + ImageBody);
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    QVERIFY(disconnected.wait(3000));
    QVERIFY(socket.readAll().isEmpty());
    QCOMPARE(m_server->stats().predictionsCreated, 1);
    QCOMPARE(m_server->stats().faultsInjected.value(QStringLiteral("connection_reset")), 1);
    // The prediction exists although the client never heard of it: reconcile by listing.
    const QJsonArray results = m_client->get(QStringLiteral("/v1/predictions"))
                                   .json()
                                   .value(QStringLiteral("results"))
                                   .toArray();
    QCOMPARE(results.size(), 1);
    const QString key = SandboxStats::inputKey(QStringLiteral("model"),
                                               QStringLiteral("black-forest-labs/flux-schnell"),
                                               "{\"prompt\":\"a lighthouse\"}");
    QCOMPARE(m_server->stats().createsPerInput.value(key), 1);

    // Worth knowing for clients: Qt 6.4's QNetworkAccessManager silently re-sends a request,
    // POST included, when the connection closes before any answer; only when every attempt is
    // reset does the caller see an error. Each re-send creates another prediction.
    m_server->resetStats();
    m_server->addFault(rule(FaultKind::ConnectionReset, QStringLiteral("POST"),
                            QStringLiteral("/v1/models/*/predictions"), -1));
    const HttpResult r = m_client->post(CreateImage, ImageBody);
    QCOMPARE(r.status, 0);
    QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
    const int posts = m_server->stats().predictionsCreated;
    QVERIFY2(posts >= 1, qPrintable(QString::number(posts)));
    qInfo("QNetworkAccessManager sent the reset POST %d time(s)", posts);
    QCOMPARE(m_server->stats().createsPerInput.value(key), posts);
}

void TestSandboxFaults::delayedAnswerBeyondClientTimeout()
{
    FaultRule r = rule(FaultKind::Delay);
    r.delayMs = 800;
    m_server->addFault(r);
    QElapsedTimer timer;
    timer.start();
    const HttpResult timedOut = m_client->post(CreateImage, ImageBody, {}, 300);
    QCOMPARE(timedOut.status, 0);
    QCOMPARE(timedOut.error, QNetworkReply::OperationCanceledError);
    QVERIFY(timer.elapsed() < 800);
    QCOMPARE(m_server->stats().predictionsCreated, 1); // created before the answer was held
    spin(600);
    // Without a client timeout the answer just comes late.
    m_server->addFault(r);
    timer.restart();
    const HttpResult late = m_client->post(CreateImage, ImageBody, {}, 5000);
    QCOMPARE(late.status, 201);
    QVERIFY(timer.elapsed() >= 750);
}

void TestSandboxFaults::rateLimitStormProbability()
{
    FaultRule r =
        rule(FaultKind::RateLimitStorm, QStringLiteral("*"), QStringLiteral("/v1/predictions*"), 3);
    r.retryAfterSeconds = 7;
    m_server->addFault(r);
    for (int i = 0; i < 3; ++i) {
        const HttpResult throttled = m_client->get(QStringLiteral("/v1/predictions"));
        QCOMPARE(throttled.status, 429);
        QCOMPARE(throttled.header("retry-after"), QByteArray("7"));
        QCOMPARE(throttled.json().value(QStringLiteral("retry_after")).toInt(), 7);
    }
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions")).status, 200);
    QCOMPARE(m_server->stats().throttled, 3);

    // With a probability, some get through, repeatably for the seed.
    r.probability = 0.5;
    r.count = -1;
    m_server->addFault(r);
    int refused = 0;
    for (int i = 0; i < 40; ++i)
        refused += m_client->get(QStringLiteral("/v1/predictions")).status == 429 ? 1 : 0;
    QVERIFY2(refused > 8 && refused < 32, qPrintable(QString::number(refused)));
}

void TestSandboxFaults::rateLimitLockout()
{
    FaultRule r = rule(FaultKind::RateLimitStorm, QStringLiteral("*"), QStringLiteral("*"), -1);
    r.lockoutMs = 30000;
    m_server->addFault(r);
    const HttpResult first = m_client->post(CreateImage, ImageBody);
    QCOMPARE(first.status, 429);
    QCOMPARE(first.header("retry-after"), QByteArray("30"));
    m_server->advanceClock(20000);
    const HttpResult later = m_client->get(QStringLiteral("/v1/account"));
    QCOMPARE(later.status, 429);
    QCOMPARE(later.json().value(QStringLiteral("retry_after")).toInt(), 10);
    m_server->advanceClock(10500);
    QCOMPARE(m_client->get(QStringLiteral("/v1/account")).status, 200);
    QVERIFY(m_server->faults().isEmpty());
}

void TestSandboxFaults::malformedJson()
{
    m_server->addFault(rule(FaultKind::MalformedJson));
    const HttpResult r = m_client->post(CreateImage, ImageBody);
    QCOMPARE(r.status, 201);
    QJsonParseError error;
    QJsonDocument::fromJson(r.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
    QVERIFY(r.body.startsWith("{\"id\":"));
    QCOMPARE(m_server->stats().predictionsCreated, 1);
}

void TestSandboxFaults::failedPrediction()
{
    m_server->addFault(rule(FaultKind::FailPrediction));
    const HttpResult r = m_client->post(CreateImage, ImageBody, {{"Prefer", "wait"}});
    const QJsonObject p = r.json();
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QVERIFY(p.value(QStringLiteral("error"))
                .toString()
                .startsWith(QStringLiteral("NSFW content detected")));
    QVERIFY(p.value(QStringLiteral("output")).isNull());
    QVERIFY(p.value(QStringLiteral("logs")).toString().contains(QStringLiteral("NSFW")));
    QVERIFY(keys(p).contains(keys(recordedJson(QStringLiteral("prediction-get-failed.json")))));
    // The fault was used up by the create; the next one succeeds.
    QCOMPARE(m_client->post(CreateImage, ImageBody, {{"Prefer", "wait"}})
                 .json()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("succeeded"));
}

void TestSandboxFaults::outputsExpireImmediately()
{
    m_server->addFault(rule(FaultKind::ExpireOutputs));
    const QString id =
        m_client->post(CreateImage, ImageBody).json().value(QStringLiteral("id")).toString();
    QTRY_VERIFY(m_server->prediction(id)->dataRemoved);
    const QJsonObject p = m_client->get(QStringLiteral("/v1/predictions/") + id).json();
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(p.value(QStringLiteral("data_removed")).toBool(), true);
    QVERIFY(p.value(QStringLiteral("output")).isNull());
    QCOMPARE(m_client->get(QStringLiteral("/files/%1/out-0.webp").arg(id)).status, 404);
}

void TestSandboxFaults::statistics()
{
    const QByteArray same = "{\"input\":{\"prompt\":\"twice\",\"num_outputs\":1}}";
    const QByteArray reordered = "{\"input\":{\"num_outputs\":1,\"prompt\":\"twice\"}}";
    const QString id =
        m_client->post(CreateImage, same).json().value(QStringLiteral("id")).toString();
    m_client->post(CreateImage, reordered);
    m_client->post(QStringLiteral("/v1/predictions"),
                   "{\"version\":\"black-forest-labs/"
                   "flux-schnell\",\"input\":{\"prompt\":\"twice\",\"num_outputs\":1}}");
    m_client->get(QStringLiteral("/v1/predictions/") + id);
    m_client->get(QStringLiteral("/v1/predictions/") + id);
    m_client->post(CreateImage, "{\"input\":{}}"); // 422
    const StatsSnapshot &s = m_server->stats();
    QCOMPARE(
        s.requestsPerEndpoint.value(QStringLiteral("POST /v1/models/{owner}/{name}/predictions")),
        3);
    QCOMPARE(s.requestsPerEndpoint.value(QStringLiteral("POST /v1/predictions")), 1);
    QCOMPARE(s.requestsPerEndpoint.value(QStringLiteral("GET /v1/predictions/{id}")), 2);
    QCOMPARE(s.responsesPerStatus.value(201), 3);
    QCOMPARE(s.responsesPerStatus.value(422), 1);
    QCOMPARE(s.predictionsCreated, 3);
    // Key order does not matter: canonical JSON. The create form does.
    const QString byModel = SandboxStats::inputKey(QStringLiteral("model"),
                                                   QStringLiteral("black-forest-labs/flux-schnell"),
                                                   "{\"prompt\":\"twice\",\"num_outputs\":1}");
    QCOMPARE(s.createsPerInput.value(byModel), 2);
    QCOMPARE(s.createsPerInput.size(), 2);
    QCOMPARE(m_server->prediction(id)->inputKey, byModel);
    QCOMPARE(s.inFlight, 0);
    m_server->resetStats();
    QCOMPARE(m_server->stats().predictionsCreated, 0);
}

void TestSandboxFaults::peakInFlight()
{
    FaultRule r = rule(FaultKind::Delay, QStringLiteral("GET"), QStringLiteral("/v1/account"), 4);
    r.delayMs = 300;
    m_server->addFault(r);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 4; ++i) {
        QNetworkRequest request(QUrl(m_server->origin() + QStringLiteral("/v1/account")));
        request.setRawHeader("Authorization", "Bearer x");
        replies.append(m_client->network().get(request));
    }
    QTRY_COMPARE(m_server->stats().peakInFlight, 4);
    for (QNetworkReply *reply : std::as_const(replies)) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || finished.wait(3000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
    }
    QCOMPARE(m_server->stats().inFlight, 0);
}

void TestSandboxFaults::httpControlSurface()
{
    // Everything the C++ API does, over HTTP, without a token.
    m_client->token.clear();
    QCOMPARE(
        m_client->get(QStringLiteral("/__control")).json().value(QStringLiteral("seed")).toInt(),
        7);
    const HttpResult added =
        m_client->post(QStringLiteral("/__control/faults"),
                       "{\"kind\":\"http_error\",\"method\":\"GET\",\"path\":\"/v1/account\","
                       "\"status\":502,\"count\":1}");
    QCOMPARE(added.status, 201);
    QCOMPARE(m_server->faults().size(), 1);
    m_client->token = QStringLiteral("r8_x");
    QCOMPARE(m_client->get(QStringLiteral("/v1/account")).status, 502);
    QCOMPARE(m_client->post(QStringLiteral("/__control/faults"), "{\"kind\":\"nope\"}").status,
             400);
    m_client->post(QStringLiteral("/__control/faults"), "{\"kind\":\"http_error\",\"count\":-1}");
    QCOMPARE(m_client->send("DELETE", QStringLiteral("/__control/faults"), {}, {}, 5000).status,
             200);
    QVERIFY(m_server->faults().isEmpty());

    QCOMPARE(m_client
                 ->post(QStringLiteral("/__control/latency"),
                        "{\"model\":\"image\",\"queue_ms\":[10,20],\"run_ms\":30}")
                 .status,
             200);
    QCOMPARE(m_server->config().imageLatency, (LatencyDistribution{10, 20, 30, 30}));
    QCOMPARE(
        m_client->post(QStringLiteral("/__control/account"), "{\"credit\":\"exhausted\"}").status,
        200);
    QCOMPARE(m_client->post(CreateImage, ImageBody).status, 402);
    m_client->post(QStringLiteral("/__control/account"), "{\"credit\":\"ok\"}");
    QCOMPARE(m_client
                 ->post(QStringLiteral("/__control/rate-limits"),
                        "{\"create\":{\"per_minute\":6,\"burst\":1}}")
                 .status,
             200);
    QCOMPARE(m_server->config().rateLimits.create, (RateLimit{6, 1}));
    m_client->post(QStringLiteral("/__control/quirks"), "{\"sync_returns_processing\":true}");
    QVERIFY(m_server->config().quirks.syncReturnsProcessing);
    m_client->post(QStringLiteral("/__control/data-ttl"), "{\"seconds\":60}");
    QCOMPARE(m_server->config().dataTtlMs, 60000);
    m_client->post(QStringLiteral("/__control/page-size"), "{\"size\":5}");
    QCOMPARE(m_server->config().pageSize, 5);

    const QString id =
        m_client->post(CreateImage, ImageBody).json().value(QStringLiteral("id")).toString();
    QCOMPARE(m_client->post(CreateImage, ImageBody).status, 429); // the new 6/min bucket
    m_client->waitUntilDone(id);
    const QJsonObject info = m_client->get(QStringLiteral("/__control/predictions/") + id).json();
    const QJsonObject file = info.value(QStringLiteral("files")).toArray().at(0).toObject();
    const HttpResult download = m_client->get(file.value(QStringLiteral("url")).toString());
    QCOMPARE(QString::fromLatin1(
                 QCryptographicHash::hash(download.body, QCryptographicHash::Sha256).toHex()),
             file.value(QStringLiteral("sha256")).toString());
    const QByteArray before = m_client->get(QStringLiteral("/__control"))
                                  .json()
                                  .value(QStringLiteral("now"))
                                  .toString()
                                  .toLatin1();
    const QJsonObject advanced =
        m_client->post(QStringLiteral("/__control/clock/advance"), "{\"seconds\":61}").json();
    QVERIFY(advanced.value(QStringLiteral("now")).toString().toLatin1() > before);
    QCOMPARE(m_client->get(file.value(QStringLiteral("url")).toString()).status,
             404); // TTL of 60 s

    const QJsonObject stats = m_client->get(QStringLiteral("/__stats")).json();
    QCOMPARE(stats.value(QStringLiteral("predictions_created")).toInt(), 1);
    QCOMPARE(stats.value(QStringLiteral("throttled")).toInt(), 1);
    QVERIFY(stats.value(QStringLiteral("requests_per_endpoint"))
                .toObject()
                .contains(QStringLiteral("GET /__stats")));
    QVERIFY(stats.contains(QStringLiteral("creates_per_input")));
    QVERIFY(stats.contains(QStringLiteral("peak_in_flight")));
    QVERIFY(
        stats.value(QStringLiteral("webhooks")).toObject().contains(QStringLiteral("delivered")));
    QCOMPARE(m_client->post(QStringLiteral("/__stats/reset"), {}).status, 200);
    QCOMPARE(m_server->stats().predictionsCreated, 0);
    QVERIFY(m_client->get(QStringLiteral("/__control/webhooks")).jsonArray().isEmpty());
}

void TestSandboxFaults::cliCommand()
{
    QProcess cli;
    cli.start(QStringLiteral(BRIEFLOW_CLI_BINARY),
              {QStringLiteral("sandbox"), QStringLiteral("--seed"), QStringLiteral("3"),
               QStringLiteral("--latency-ms"), QStringLiteral("0")});
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(cli.canReadLine(), 10000);
    const QString line = QString::fromUtf8(cli.readLine()).trimmed();
    static const QRegularExpression pattern(
        QStringLiteral("^Replicate sandbox listening on (http://127\\.0\\.0\\.1:\\d+/v1)$"));
    const QRegularExpressionMatch m = pattern.match(line);
    QVERIFY2(m.hasMatch(), qPrintable(line));
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(m.captured(1) + QStringLiteral("/predictions")));
    request.setRawHeader("Authorization", "Bearer r8_cli");
    request.setRawHeader("Prefer", "wait");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply =
        network.post(request, QByteArray("{\"version\":\"meta/meta-llama-3-8b-instruct\","
                                         "\"input\":{\"prompt\":\"Product name: Orbit\"}}"));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll())
                 .object()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("succeeded"));
    delete reply;
    cli.terminate(); // SIGTERM: a clean exit
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestSandboxFaults)
#include "tst_sandboxfaults.moc"
