// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// WebhookReceiver with real clients on loopback (raw QTcpSocket, and QNetworkAccessManager for
// the plain path): answers per verdict, the signal only after answering and only for new
// verified deliveries, limits checked before the body is read, slow clients dropped, and 50
// deliveries at once.
#include <memory>
#include <vector>

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include "core/sandbox/webhooksigner.h"
#include "core/webhooks/webhookreceiver.h"
#include "tests/support/fakeclock.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QString kPath = QStringLiteral("/webhooks/replicate");

/** A client that writes raw bytes and collects whatever comes back until the server closes. */
class RawClient : public QObject {
public:
    explicit RawClient(quint16 port)
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] { received += socket.readAll(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { closed = true; });
        connect(&socket, &QTcpSocket::errorOccurred, this, [this] {
            received += socket.readAll();
            closed = true;
        });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }

    void send(const QByteArray &bytes) { socket.write(bytes); }
    /** The status code of the answer, or 0 when nothing parseable arrived. */
    int status() const
    {
        if (!received.startsWith("HTTP/1.1 "))
            return 0;
        return received.mid(9, 3).toInt();
    }
    bool hasHeader(const QByteArray &line) const
    {
        const qsizetype end = received.indexOf("\r\n\r\n");
        return received.left(end).toLower().contains(QByteArray("\r\n" + line.toLower() + "\r\n"));
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
};

QByteArray nowSecs(const FakeClock &clock, qint64 offset = 0)
{
    return QByteArray::number(clock.nowUtc().toSecsSinceEpoch() + offset);
}

QByteArray key()
{
    return WebhookVerifier::decodeSecret(kSecret).value();
}

/** A complete signed POST, with the signature computed over @p signedBody. */
QByteArray delivery(const QByteArray &id, const QByteArray &timestamp, const QByteArray &body,
                    const QByteArray &path = kPath.toUtf8(), const QByteArray &signedBody = {},
                    const QByteArray &secretKey = key())
{
    const QByteArray signature =
        WebhookVerifier::sign(secretKey, id, timestamp, signedBody.isNull() ? body : signedBody);
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           + "webhook-id: " + id + "\r\nwebhook-timestamp: " + timestamp
           + "\r\nwebhook-signature: " + signature
           + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray predictionBody(const QByteArray &id)
{
    // Bytes a JSON re-serialiser would change: spacing, key order, a non-ASCII character.
    return R"({"id": ")" + id + R"(",  "status":"succeeded", "output": ["caf\u00e9 ☕"]})";
}

} // namespace

class TestWebhookReceiver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void validDeliveryThenDuplicate();
    void forgedSignatureIs401();
    void staleTimestampIs401();
    void missingHeaderIs400();
    void oversizedContentLengthIs413BeforeTheBody();
    void bodyExactlyAtTheCapIsAccepted();
    void wrongPathAndMethod();
    void framingWithoutContentLength();
    void headerBlockTooLargeIs431();
    void expectContinue();
    void secretReplacedAtRunTime();
    void slowClientIsDropped();
    void slowBodyIsDropped();
    void sandboxSignedDeliveryIsVerified();
    void fiftyConcurrentDeliveries();

private:
    /** Sends @p request on a fresh connection and waits until the server closes it. */
    std::unique_ptr<RawClient> exchange(const QByteArray &request);
    void start(WebhookReceiverOptions options = {});

    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::unique_ptr<QSignalSpy> m_deliveries;
};

void TestWebhookReceiver::init()
{
    m_clock = std::make_unique<FakeClock>(QDateTime::currentDateTimeUtc());
    start();
}

void TestWebhookReceiver::cleanup()
{
    m_deliveries.reset();
    m_receiver.reset();
    m_clock.reset();
}

void TestWebhookReceiver::start(WebhookReceiverOptions options)
{
    m_deliveries.reset();
    m_receiver = std::make_unique<WebhookReceiver>(kSecret, *m_clock, options);
    QVERIFY(m_receiver->listen().ok());
    QVERIFY(m_receiver->port() != 0);
    QCOMPARE(m_receiver->localUrl().host(), QStringLiteral("127.0.0.1"));
    m_deliveries =
        std::make_unique<QSignalSpy>(m_receiver.get(), &WebhookReceiver::deliveryReceived);
}

std::unique_ptr<RawClient> TestWebhookReceiver::exchange(const QByteArray &request)
{
    auto client = std::make_unique<RawClient>(m_receiver->port());
    client->send(request);
    // The caller checks the status; a client still open after 5 s has status 0.
    (void)QTest::qWaitFor([&] { return client->closed; }, 5000);
    return client;
}

void TestWebhookReceiver::validDeliveryThenDuplicate()
{
    const QByteArray id = "msg_valid_1";
    const QByteArray body = predictionBody("p1");
    const QByteArray timestamp = nowSecs(*m_clock);
    QNetworkAccessManager nam;
    const auto post = [&] {
        QNetworkRequest request(m_receiver->localUrl());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("webhook-id", id);
        request.setRawHeader("webhook-timestamp", timestamp);
        request.setRawHeader("webhook-signature",
                             WebhookVerifier::sign(key(), id, timestamp, body));
        std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!finished.wait(5000))
            return -1;
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };

    QCOMPARE(post(), 204);
    QTRY_COMPARE(m_deliveries->count(), 1);
    QCOMPARE(m_deliveries->at(0).at(0).toByteArray(), id);
    QCOMPARE(m_deliveries->at(0).at(1).toByteArray(), body);

    // The same delivery again (a sender's retry): still 2xx, but no second signal.
    QCOMPARE(post(), 204);
    QTest::qWait(100);
    QCOMPARE(m_deliveries->count(), 1);
    const WebhookReceiverStats stats = m_receiver->stats();
    QCOMPARE(stats.verified, 1u);
    QCOMPARE(stats.duplicate, 1u);
    QCOMPARE(stats.rejected(), 0u);
}

void TestWebhookReceiver::forgedSignatureIs401()
{
    const QByteArray body = predictionBody("p2");
    // Signed over other bytes: what an attacker who changes the body would send.
    const auto client = exchange(
        delivery("msg_forged", nowSecs(*m_clock), body, kPath.toUtf8(), predictionBody("p3")));
    QCOMPARE(client->status(), 401);
    QVERIFY(client->hasHeader("Connection: close"));
    // Signed with another key.
    const QByteArray otherKey =
        WebhookVerifier::decodeSecret(QStringLiteral("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"))
            .value();
    QCOMPARE(
        exchange(delivery("msg_forged2", nowSecs(*m_clock), body, kPath.toUtf8(), {}, otherKey))
            ->status(),
        401);
    QTest::qWait(50);
    QCOMPARE(m_deliveries->count(), 0);
    QCOMPARE(m_receiver->stats().badSignature, 2u);
}

void TestWebhookReceiver::staleTimestampIs401()
{
    const QByteArray body = predictionBody("p4");
    QCOMPARE(exchange(delivery("msg_old", nowSecs(*m_clock, -301), body))->status(), 401);
    QCOMPARE(exchange(delivery("msg_future", nowSecs(*m_clock, 301), body))->status(), 401);
    QCOMPARE(m_receiver->stats().staleTimestamp, 2u);
    // At the edge it is still fresh.
    QCOMPARE(exchange(delivery("msg_edge", nowSecs(*m_clock, -300), body))->status(), 204);
    QTRY_COMPARE(m_deliveries->count(), 1);
}

void TestWebhookReceiver::missingHeaderIs400()
{
    const QByteArray body = predictionBody("p5");
    const QByteArray full = delivery("msg_missing", nowSecs(*m_clock), body);
    for (const QByteArray name : {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
        QByteArray request = full;
        const qsizetype start = request.indexOf(QByteArray(name + ": "));
        request.remove(start, request.indexOf("\r\n", start) + 2 - start);
        const auto client = exchange(request);
        QVERIFY2(client->status() == 400, name.constData());
    }
    QCOMPARE(m_receiver->stats().missingHeader, 3u);
    QTest::qWait(50);
    QCOMPARE(m_deliveries->count(), 0);
}

void TestWebhookReceiver::oversizedContentLengthIs413BeforeTheBody()
{
    // Only the head is sent; the answer must come without a single body byte.
    const QByteArray head =
        "POST " + kPath.toUtf8()
        + " HTTP/1.1\r\nHost: x\r\nwebhook-id: msg_big\r\nwebhook-timestamp: " + nowSecs(*m_clock)
        + "\r\nwebhook-signature: v1,x\r\nContent-Length: 1048577\r\n\r\n";
    const auto client = exchange(head);
    QCOMPARE(client->status(), 413);
    QVERIFY(client->hasHeader("Connection: close"));
    QCOMPARE(m_receiver->stats().payloadTooLarge, 1u);
    // A huge announced length is refused the same way (no allocation of it).
    QCOMPARE(exchange("POST " + kPath.toUtf8() + " HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n")
                 ->status(),
             413);
    QTRY_COMPARE(m_receiver->openConnections(), 0);
}

void TestWebhookReceiver::bodyExactlyAtTheCapIsAccepted()
{
    WebhookReceiverOptions options;
    options.maxBodyBytes = 1024 * 1024;
    start(options);
    QByteArray body(1024 * 1024, 'a');
    body[0] = '{';
    const auto client = exchange(delivery("msg_cap", nowSecs(*m_clock), body));
    QCOMPARE(client->status(), 204);
    QTRY_COMPARE(m_deliveries->count(), 1);
    QCOMPARE(m_deliveries->at(0).at(1).toByteArray(), body);
}

void TestWebhookReceiver::wrongPathAndMethod()
{
    const QByteArray body = predictionBody("p6");
    QCOMPARE(exchange(delivery("msg_path", nowSecs(*m_clock), body, "/webhooks/other"))->status(),
             404);
    QCOMPARE(
        exchange(delivery("msg_path2", nowSecs(*m_clock), body, kPath.toUtf8() + "/x"))->status(),
        404);
    const auto get = exchange("GET " + kPath.toUtf8() + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(get->status(), 405);
    QVERIFY(get->hasHeader("Allow: POST"));
    // A query string (the user's own metadata in the webhook URL) is not part of the path.
    QCOMPARE(exchange(delivery("msg_query", nowSecs(*m_clock), body, kPath.toUtf8() + "?job=7"))
                 ->status(),
             204);
    QCOMPARE(exchange("BREW / HTTP/1.1\r\n\r\n")->status(), 404);
    QCOMPARE(exchange("nonsense\r\n\r\n")->status(), 400);
    const WebhookReceiverStats stats = m_receiver->stats();
    QCOMPARE(stats.notFound, 3u);
    QCOMPARE(stats.methodNotAllowed, 1u);
    QCOMPARE(stats.malformed, 1u);
    QCOMPARE(stats.verified, 1u);
}

void TestWebhookReceiver::framingWithoutContentLength()
{
    const QByteArray head = "POST " + kPath.toUtf8() + " HTTP/1.1\r\nHost: x\r\n";
    QCOMPARE(exchange(head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")->status(),
             411);
    QCOMPARE(exchange(head + "\r\n")->status(), 411);
    QCOMPARE(
        exchange(head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello")->status(),
        400);
    QCOMPARE(exchange(head + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")->status(),
             400);
    QCOMPARE(exchange(head + "Content-Length: -5\r\n\r\n")->status(), 400);
    QCOMPARE(m_receiver->stats().lengthRequired, 2u);
    QCOMPARE(m_receiver->stats().malformed, 3u);
}

void TestWebhookReceiver::headerBlockTooLargeIs431()
{
    QByteArray request = "POST " + kPath.toUtf8() + " HTTP/1.1\r\n";
    for (int i = 0; i < 200; ++i)
        request += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(100, 'f') + "\r\n";
    // No blank line yet: the server must not wait for the end of an oversized head.
    const auto client = exchange(request);
    QCOMPARE(client->status(), 431);
    QCOMPARE(m_receiver->stats().headersTooLarge, 1u);
}

void TestWebhookReceiver::expectContinue()
{
    const QByteArray body = predictionBody("p7");
    QByteArray request = delivery("msg_continue", nowSecs(*m_clock), body);
    const qsizetype headEnd = request.indexOf("\r\n\r\n");
    const QByteArray head = request.left(headEnd) + "\r\nExpect: 100-continue\r\n\r\n";
    RawClient client(m_receiver->port());
    client.send(head);
    QTRY_VERIFY_WITH_TIMEOUT(client.received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), 5000);
    client.received.clear();
    client.send(body);
    QTRY_VERIFY_WITH_TIMEOUT(client.closed, 5000);
    QCOMPARE(client.status(), 204);
    QTRY_COMPARE(m_deliveries->count(), 1);
}

void TestWebhookReceiver::secretReplacedAtRunTime()
{
    const QString newSecret = QStringLiteral("whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH");
    const QByteArray newKey = WebhookVerifier::decodeSecret(newSecret).value();
    const QByteArray body = predictionBody("p8");
    const QByteArray request =
        delivery("msg_rotated", nowSecs(*m_clock), body, kPath.toUtf8(), {}, newKey);
    QCOMPARE(exchange(request)->status(), 401);
    QVERIFY(m_receiver->setSecret(newSecret).ok());
    QCOMPARE(exchange(request)->status(), 204);
    QTRY_COMPARE(m_deliveries->count(), 1);
    // An unusable secret answers 503 (our fault; the sender retries later), never 2xx.
    QVERIFY(!m_receiver->setSecret(QStringLiteral("whsec_")).ok());
    QCOMPARE(exchange(delivery("msg_nosecret", nowSecs(*m_clock), body))->status(), 503);
    QCOMPARE(m_receiver->stats().badSecret, 1u);
}

void TestWebhookReceiver::slowClientIsDropped()
{
    WebhookReceiverOptions options;
    options.requestTimeout = 400ms;
    start(options);
    // A slowloris client: a valid head, one byte every 50 ms, never finishing in time.
    const QByteArray request = delivery("msg_slow", nowSecs(*m_clock), predictionBody("p9"));
    RawClient client(m_receiver->port());
    QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
    QElapsedTimer elapsed;
    elapsed.start();
    qsizetype sent = 0;
    while (!client.closed && sent < request.size() && elapsed.elapsed() < 5000) {
        client.send(request.mid(sent++, 1));
        QTest::qWait(50);
    }
    QTRY_VERIFY_WITH_TIMEOUT(client.closed, 5000);
    QVERIFY2(sent < request.size(), "the whole request got through: the test proves nothing");
    QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(client.status(), 408);
    QCOMPARE(m_receiver->stats().timedOut, 1u);
    QTRY_COMPARE(m_receiver->openConnections(), 0);
    QCOMPARE(m_deliveries->count(), 0);
}

void TestWebhookReceiver::slowBodyIsDropped()
{
    WebhookReceiverOptions options;
    options.requestTimeout = 400ms;
    start(options);
    // The head at once, then a body that never completes: the deadline covers the whole request.
    const QByteArray request = delivery("msg_slow_body", nowSecs(*m_clock), predictionBody("p10"));
    RawClient client(m_receiver->port());
    client.send(request.left(request.indexOf("\r\n\r\n") + 4 + 3));
    QElapsedTimer elapsed;
    elapsed.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.closed, 5000);
    QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(client.status(), 408);
    QCOMPARE(m_receiver->stats().timedOut, 1u);
    QCOMPARE(m_deliveries->count(), 0);
}

void TestWebhookReceiver::sandboxSignedDeliveryIsVerified()
{
    // The sandbox's own signer (what the demo and the pipeline tests deliver) and this verifier
    // must agree, or webhooks would silently be 401 in every end-to-end test.
    const QString secret = sandbox::makeWebhookSecret(42);
    QVERIFY(m_receiver->setSecret(secret).ok());
    const QByteArray body = predictionBody("p11");
    const qint64 timestamp = m_clock->nowUtc().toSecsSinceEpoch();
    const QByteArray signature =
        sandbox::signWebhook(secret, QStringLiteral("msg_sandbox"), timestamp, body).toLatin1();
    const QByteArray request = "POST " + kPath.toUtf8() + " HTTP/1.1\r\nwebhook-id: msg_sandbox"
                               + "\r\nwebhook-timestamp: " + QByteArray::number(timestamp)
                               + "\r\nwebhook-signature: " + signature + "\r\nContent-Length: "
                               + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QCOMPARE(exchange(request)->status(), 204);
    QTRY_COMPARE(m_deliveries->count(), 1);
}

void TestWebhookReceiver::fiftyConcurrentDeliveries()
{
    constexpr int kCount = 50;
    std::vector<std::unique_ptr<RawClient>> clients;
    QSet<QByteArray> expectedIds;
    for (int i = 0; i < kCount; ++i) {
        const QByteArray id = "msg_concurrent_" + QByteArray::number(i);
        expectedIds.insert(id);
        clients.push_back(std::make_unique<RawClient>(m_receiver->port()));
        clients.back()->send(delivery(id, nowSecs(*m_clock), predictionBody(id)));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(clients.begin(), clients.end(),
                                         [](const auto &client) { return client->closed; }),
                             15000);
    for (const auto &client : clients)
        QCOMPARE(client->status(), 204);
    QTRY_COMPARE(m_deliveries->count(), kCount);
    QTest::qWait(50);
    QCOMPARE(m_deliveries->count(), kCount);
    QSet<QByteArray> seen;
    for (const QList<QVariant> &args : std::as_const(*m_deliveries)) {
        const QByteArray id = args.at(0).toByteArray();
        QCOMPARE(args.at(1).toByteArray(), predictionBody(id));
        seen.insert(id);
    }
    QCOMPARE(seen, expectedIds);
    QCOMPARE(m_receiver->stats().verified, quint64(kCount));
}

QTEST_GUILESS_MAIN(TestWebhookReceiver)
#include "tst_webhookreceiver.moc"
