// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Webhooks: Standard Webhooks signatures (checked against the published vectors and verified
// independently on delivery), events and filters, throttling, redelivery, loopback-only.
#include <QDateTime>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QMessageAuthenticationCode>
#include <QTcpServer>
#include <QTest>

#include "core/sandbox/sandboxserver.h"
#include "core/sandbox/webhooksigner.h"
#include "sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

struct Delivery {
    QString path;
    QByteArray id;
    QByteArray timestamp;
    QByteArray signature;
    QByteArray body;
    QJsonObject prediction() const { return QJsonDocument::fromJson(body).object(); }
};

/** A webhook receiver on 127.0.0.1 that answers with scripted statuses and records everything. */
class Receiver {
public:
    Receiver()
    {
        m_server.route(QStringLiteral("/<arg>"), [this](const QString &path,
                                                        const QHttpServerRequest &request) {
            Delivery d{path, request.value("webhook-id"), request.value("webhook-timestamp"),
                       request.value("webhook-signature"), request.body()};
            deliveries.append(d);
            const int status = statuses.isEmpty() ? 200 : statuses.takeFirst();
            QHttpServerResponse response(QByteArray("ok"),
                                         QHttpServerResponder::StatusCode(status));
            if (status >= 300 && status < 400)
                response.setHeader("Location", url(QStringLiteral("/moved")).toUtf8());
            return response;
        });
        port = m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);
    }
    QList<Delivery> withPath(const QString &path) const
    {
        QList<Delivery> list;
        for (const Delivery &d : deliveries) {
            if (d.path == path)
                list.append(d);
        }
        return list;
    }

    QList<int> statuses; ///< answers to give, in order; 200 once used up
    QList<Delivery> deliveries;
    quint16 port = 0;

private:
    QHttpServer m_server;
};

/** Verification written from the Standard Webhooks spec, independent of webhooksigner.cpp. */
bool verify(const QString &secret, const Delivery &d)
{
    const QByteArray key = QByteArray::fromBase64(secret.mid(6).toLatin1());
    const QByteArray expected =
        QMessageAuthenticationCode::hash(d.id + '.' + d.timestamp + '.' + d.body, key,
                                         QCryptographicHash::Sha256)
            .toBase64();
    for (const QByteArray &entry : d.signature.split(' ')) {
        if (entry.startsWith("v1,") && entry.mid(3) == expected)
            return true;
    }
    return false;
}

const QString CreateText = QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions");

} // namespace

class TestSandboxWebhooks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void signerMatchesVectors();
    void deliveredSignedAndComplete();
    void eventsFilter();
    void outputThrottled();
    void redeliveryKeepsWebhookId();
    void givesUpAfterLastAttempt();
    void redirectsAreNotFollowed();
    void offMachineUrlsAreRefused_data();
    void offMachineUrlsAreRefused();

private:
    void startServer(const SandboxConfig &config);
    QString create(const QString &webhook, const QByteArray &filter = {});

    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
    std::unique_ptr<Receiver> m_receiver;
};

void TestSandboxWebhooks::init()
{
    m_receiver = std::make_unique<Receiver>();
    QVERIFY(m_receiver->port != 0);
    startServer(testConfig());
}

void TestSandboxWebhooks::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_receiver.reset();
}

void TestSandboxWebhooks::startServer(const SandboxConfig &config)
{
    m_client.reset();
    m_server = std::make_unique<SandboxServer>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

QString TestSandboxWebhooks::create(const QString &webhook, const QByteArray &filter)
{
    QByteArray body =
        "{\"input\":{\"prompt\":\"Product name: Lumen\"},\"webhook\":\"" + webhook.toUtf8() + '"';
    if (!filter.isEmpty())
        body += ",\"webhook_events_filter\":" + filter;
    body += '}';
    const HttpResult r = m_client->post(CreateText, body);
    return r.json().value(QStringLiteral("id")).toString();
}

void TestSandboxWebhooks::signerMatchesVectors()
{
    QFile file(QStringLiteral(BRIEFLOW_TEST_DATA_DIR "/replicate/webhook-vectors.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject vectors = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray sign = vectors.value(QStringLiteral("sign_vectors")).toArray();
    QVERIFY(sign.size() >= 2);
    for (const auto &v : sign) {
        const QJsonObject o = v.toObject();
        QCOMPARE(signWebhook(o.value(QStringLiteral("secret")).toString(),
                             o.value(QStringLiteral("id")).toString(),
                             o.value(QStringLiteral("timestamp")).toString().toLongLong(),
                             o.value(QStringLiteral("payload")).toString().toUtf8()),
                 o.value(QStringLiteral("expected_signature")).toString());
    }
    // The multi-signature header with decoys verifies through the independent check.
    const QJsonObject derived =
        vectors.value(QStringLiteral("derived_cases_not_verbatim")).toObject();
    const QJsonObject forCase = derived.value(QStringLiteral("for")).toObject();
    const Delivery d{QString(), forCase.value(QStringLiteral("id")).toString().toUtf8(),
                     forCase.value(QStringLiteral("timestamp")).toString().toUtf8(),
                     derived.value(QStringLiteral("multi_sig_header_fixed_ts")).toString().toUtf8(),
                     forCase.value(QStringLiteral("payload")).toString().toUtf8()};
    QVERIFY(verify(forCase.value(QStringLiteral("secret")).toString(), d));
    const QString secret = makeWebhookSecret(42);
    QVERIFY(secret.startsWith(QStringLiteral("whsec_")));
    QCOMPARE(QByteArray::fromBase64(secret.mid(6).toLatin1()).size(), 24);
    QCOMPARE(makeWebhookSecret(42), secret);
}

void TestSandboxWebhooks::deliveredSignedAndComplete()
{
    const QString id = create(m_receiver->url(QStringLiteral("/hook?job=7")));
    QTRY_VERIFY(!m_receiver->withPath(QStringLiteral("hook")).isEmpty()
                && m_receiver->deliveries.last().prediction().value(QStringLiteral("status"))
                       == QStringLiteral("succeeded"));
    const QList<Delivery> got = m_receiver->withPath(QStringLiteral("hook"));
    QCOMPARE(got.size(), 2); // start and completed; logs and output fell inside the throttle window
    QSet<QByteArray> ids;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (const Delivery &d : got) {
        QVERIFY(d.id.startsWith("msg_"));
        ids.insert(d.id);
        QVERIFY(qAbs(d.timestamp.toLongLong() - now) < 300);
        QVERIFY2(verify(m_server->webhookSecret(), d), d.signature.constData());
        QCOMPARE(d.prediction().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(d.prediction().value(QStringLiteral("webhook")).toString(),
                 m_receiver->url(QStringLiteral("/hook?job=7")));
    }
    QCOMPARE(ids.size(), 2); // one id per message
    QCOMPARE(got.first().prediction().value(QStringLiteral("status")).toString(),
             QStringLiteral("processing"));
    const QJsonObject completed = got.last().prediction();
    QCOMPARE(completed, m_client->get(QStringLiteral("/v1/predictions/") + id).json());
    QTRY_COMPARE(m_server->stats().webhookDelivered, 2);
    QCOMPARE(m_server->stats().webhooksPerEvent.value(QStringLiteral("start")), 1);
    QCOMPARE(m_server->stats().webhooksPerEvent.value(QStringLiteral("completed")), 1);
}

void TestSandboxWebhooks::eventsFilter()
{
    create(m_receiver->url(QStringLiteral("/only-completed")), "[\"completed\"]");
    QTRY_COMPARE(m_receiver->deliveries.size(), 1);
    QCOMPARE(m_receiver->deliveries.at(0).prediction().value(QStringLiteral("status")).toString(),
             QStringLiteral("succeeded"));
    spin(100);
    QCOMPARE(m_receiver->deliveries.size(), 1);
}

void TestSandboxWebhooks::outputThrottled()
{
    SandboxConfig config = testConfig();
    config.webhooks.throttleMs = 200;
    config.textLatency = LatencyDistribution::fixed(0, 1000);
    startServer(config);
    create(m_receiver->url(QStringLiteral("/tokens")), "[\"output\",\"completed\"]");
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_receiver->deliveries.isEmpty()
            && m_receiver->deliveries.last().prediction().value(QStringLiteral("status"))
                   == QStringLiteral("succeeded"),
        5000);
    const qsizetype outputs = m_receiver->deliveries.size() - 1;
    // 24 output steps over a second; at most one message per 200 ms gets through.
    QVERIFY2(outputs >= 2 && outputs <= 6, qPrintable(QString::number(outputs)));
    QCOMPARE(m_server->stats().webhooksPerEvent.value(QStringLiteral("output")), int(outputs));
    // Each throttled message carries the output so far: it only grows.
    qsizetype previous = 0;
    for (qsizetype i = 0; i < outputs; ++i) {
        const qsizetype size = m_receiver->deliveries.at(i)
                                   .prediction()
                                   .value(QStringLiteral("output"))
                                   .toArray()
                                   .size();
        QVERIFY(size > previous);
        previous = size;
    }
}

void TestSandboxWebhooks::redeliveryKeepsWebhookId()
{
    m_receiver->statuses = {200, 500}; // start accepted, first completed attempt fails
    create(m_receiver->url(QStringLiteral("/retry")));
    QTRY_COMPARE(m_receiver->deliveries.size(), 3);
    const Delivery failed = m_receiver->deliveries.at(1);
    const Delivery retried = m_receiver->deliveries.at(2);
    QCOMPARE(retried.id, failed.id);
    QCOMPARE(retried.body, failed.body);
    QVERIFY(verify(m_server->webhookSecret(), retried));
    QTRY_COMPARE(m_server->stats().webhookDelivered, 2);
    QCOMPARE(m_server->stats().webhookFailedAttempts, 1);
    const QList<WebhookAttempt> &attempts = m_server->webhookAttempts();
    QCOMPARE(attempts.size(), 3);
    QCOMPARE(attempts.at(2).attempt, 2);
    QCOMPARE(attempts.at(1).httpStatus, 500);
}

void TestSandboxWebhooks::givesUpAfterLastAttempt()
{
    m_receiver->statuses = {503, 503, 503, 503, 503, 503, 503, 503};
    create(m_receiver->url(QStringLiteral("/down")), "[\"completed\"]");
    QTRY_COMPARE(m_server->stats().webhookGaveUp, 1);
    QCOMPARE(m_receiver->deliveries.size(), m_server->config().webhooks.maxAttempts);
    spin(200);
    QCOMPARE(m_receiver->deliveries.size(), m_server->config().webhooks.maxAttempts);
}

void TestSandboxWebhooks::redirectsAreNotFollowed()
{
    m_receiver->statuses = {301};
    create(m_receiver->url(QStringLiteral("/old")), "[\"completed\"]");
    QTRY_COMPARE(m_server->stats().webhookGaveUp, 1);
    spin(100);
    QCOMPARE(m_receiver->deliveries.size(), 1);
    QVERIFY(m_receiver->withPath(QStringLiteral("moved")).isEmpty());
}

void TestSandboxWebhooks::offMachineUrlsAreRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("public host name") << "https://example.com/hook";
    QTest::newRow("private address") << "http://10.1.2.3:8080/hook";
    QTest::newRow("link-local metadata") << "http://169.254.169.254/latest";
}

void TestSandboxWebhooks::offMachineUrlsAreRefused()
{
    QFETCH(QString, url);
    const QString id = create(url);
    QVERIFY(!id.isEmpty()); // the create itself is fine, as it is on Replicate
    m_client->waitUntilDone(id);
    QTRY_COMPARE(m_server->stats().webhookRefused, 2); // start and completed, never sent
    QCOMPARE(m_server->stats().webhookAttempts, 0);
    QVERIFY(m_server->webhookAttempts().isEmpty());
}

QTEST_GUILESS_MAIN(TestSandboxWebhooks)
#include "tst_sandboxwebhooks.moc"
