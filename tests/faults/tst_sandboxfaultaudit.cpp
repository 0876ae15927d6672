// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The sandbox features the fault suite relies on, checked with a plain QNetworkAccessManager
// client: request faults with a probability, a 5xx after the request was handled (the create
// happened), the Retry-After audit (early requests counted per bucket and per connection, not
// the ones already in flight), and advanceClock() stepping through what falls due on the way.
#include <QNetworkReply>
#include <QTest>

#include "core/sandbox/sandboxserver.h"
#include "tests/sandbox/sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

const QString CreateImage = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");
const QByteArray ImageBody = "{\"input\":{\"prompt\":\"a lighthouse\"}}";

FaultRule rule(FaultKind kind, const QString &method, const QString &path, int count)
{
    FaultRule r;
    r.kind = kind;
    r.method = method;
    r.path = path;
    r.count = count;
    return r;
}

} // namespace

class TestSandboxFaultAudit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void serverErrorWithProbability();
    void serverErrorAfterHandlingCreates();
    void retryAfterAuditCountsEarlyRequests();
    void retryAfterAuditSparesPatientClients();
    void advanceStepsThroughDueTimes();

private:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
};

void TestSandboxFaultAudit::init()
{
    m_server = std::make_unique<SandboxServer>(testConfig());
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

void TestSandboxFaultAudit::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void TestSandboxFaultAudit::serverErrorWithProbability()
{
    FaultRule r =
        rule(FaultKind::HttpError, QStringLiteral("GET"), QStringLiteral("/v1/predictions*"), -1);
    r.status = 502;
    r.probability = 0.25;
    m_server->addFault(r);
    int failed = 0;
    for (int i = 0; i < 80; ++i) {
        const int status = m_client->get(QStringLiteral("/v1/predictions")).status;
        QVERIFY(status == 200 || status == 502);
        failed += status == 502 ? 1 : 0;
    }
    QVERIFY2(failed > 8 && failed < 35, qPrintable(QString::number(failed)));
    QCOMPARE(m_server->stats().faultsInjected.value(QStringLiteral("http_error")), failed);
    QCOMPARE(
        m_server->stats().faultDetails.value(QStringLiteral("http_error 502 GET /v1/predictions")),
        failed);
    QCOMPARE(m_server->faults().size(), 1); // a miss consumes nothing; count -1 stays
}

void TestSandboxFaultAudit::serverErrorAfterHandlingCreates()
{
    FaultRule r = rule(FaultKind::HttpError, QStringLiteral("POST"),
                       QStringLiteral("/v1/models/*/predictions"), 1);
    r.status = 504;
    r.afterHandling = true;
    m_server->addFault(r);
    const HttpResult failed = m_client->post(CreateImage, ImageBody);
    QCOMPARE(failed.status, 504);
    QCOMPARE(m_server->stats().predictionsCreated, 1); // it happened; only the answer was lost
    QCOMPARE(m_server->stats().faultDetails.value(QStringLiteral(
                 "http_error 504 after handling POST /v1/models/{owner}/{name}/predictions")),
             1);
    const QJsonArray listed = m_client->get(QStringLiteral("/v1/predictions"))
                                  .json()
                                  .value(QStringLiteral("results"))
                                  .toArray();
    QCOMPARE(listed.size(), 1);
    // Before handling (the default), nothing is created.
    r.afterHandling = false;
    m_server->addFault(r);
    QCOMPARE(m_client->post(CreateImage, ImageBody).status, 504);
    QCOMPARE(m_server->stats().predictionsCreated, 1);
}

void TestSandboxFaultAudit::retryAfterAuditCountsEarlyRequests()
{
    FaultRule storm =
        rule(FaultKind::RateLimitStorm, QStringLiteral("*"), QStringLiteral("/v1/predictions*"), 1);
    storm.retryAfterSeconds = 2;
    m_server->addFault(storm);
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions")).status, 429);
    // A client that ignores Retry-After: the next request, on the same kept-alive connection,
    // well past the in-flight grace and well before the 2 s.
    spin(int(SandboxServer::retryAfterGraceMs) + 150);
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions")).status, 200);
    const StatsSnapshot &s = m_server->stats();
    QCOMPARE(s.throttledPerBucket.value(QStringLiteral("other")), 1);
    QCOMPARE(s.earlyPerBucket.value(QStringLiteral("other")), 1);
    QCOMPARE(s.earlyOnConnection, 1);
    // Another bucket is not held by it.
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions/nope")).status, 404);
    QCOMPARE(s.earlyPerBucket.value(QStringLiteral("get_prediction")), 0);
    // Two requests sent together on two connections: the one that arrives right behind the
    // 429 was already on its way, and is counted apart.
    spin(2100);
    m_server->addFault(storm);
    QNetworkRequest request(m_client->url(QStringLiteral("/v1/predictions")));
    request.setRawHeader("Authorization", "Bearer " + m_client->token.toUtf8());
    std::unique_ptr<QNetworkReply> a(m_client->network().get(request));
    std::unique_ptr<QNetworkReply> b(m_client->network().get(request));
    QTRY_VERIFY(a->isFinished() && b->isFinished());
    QList<int> statuses{a->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                        b->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()};
    std::sort(statuses.begin(), statuses.end());
    QCOMPARE(statuses, (QList<int>{200, 429}));
    QCOMPARE(s.inGracePerBucket.value(QStringLiteral("other")), 1);
    QCOMPARE(s.earlyPerBucket.value(QStringLiteral("other")), 1);
    QCOMPARE(s.earlyOnConnection, 1);
    QVERIFY(m_server->statsJson().contains("\"early_on_connection\":1"));
}

void TestSandboxFaultAudit::retryAfterAuditSparesPatientClients()
{
    FaultRule lockout =
        rule(FaultKind::RateLimitStorm, QStringLiteral("*"), QStringLiteral("/v1/models/*"), -1);
    lockout.lockoutMs = 1000;
    m_server->addFault(lockout);
    const HttpResult first = m_client->post(CreateImage, ImageBody);
    QCOMPARE(first.status, 429);
    QCOMPARE(first.header("retry-after"), QByteArray("1"));
    spin(1050); // waits as told
    QCOMPARE(m_client->post(CreateImage, ImageBody).status, 201);
    const StatsSnapshot &s = m_server->stats();
    QCOMPARE(s.throttledPerBucket.value(QStringLiteral("create")), 1);
    QCOMPARE(s.earlyPerBucket.value(QStringLiteral("create")), 0);
    QCOMPARE(s.inGracePerBucket.value(QStringLiteral("create")), 0);
    QCOMPARE(s.earlyOnConnection, 0);
}

void TestSandboxFaultAudit::advanceStepsThroughDueTimes()
{
    m_server->setLatency(QStringLiteral("image"), LatencyDistribution::fixed(0, 30'000));
    const HttpResult created = m_client->post(CreateImage, ImageBody);
    QCOMPARE(created.status, 201);
    const QString id = created.json().value(QStringLiteral("id")).toString();
    const Prediction *p = m_server->prediction(id);
    QVERIFY(p);
    m_server->advanceClock(59 * 60'000);
    // It finished 30 s after it was created, not at the end of the jump…
    QCOMPARE(p->status, Status::Succeeded);
    const qint64 ranNs = p->completedNs - p->createdNs;
    QVERIFY2(ranNs >= 30'000'000'000LL && ranNs < 32'000'000'000LL,
             qPrintable(QString::number(ranNs)));
    // …so its data is removed an hour after that: still there at 59 min, gone at 61.
    QVERIFY(!p->dataRemoved);
    m_server->advanceClock(2 * 60'000);
    QVERIFY(p->dataRemoved);
}

QTEST_GUILESS_MAIN(TestSandboxFaultAudit)
#include "tst_sandboxfaultaudit.moc"
