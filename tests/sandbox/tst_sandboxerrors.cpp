// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The sandbox's error answers against the recorded bodies: authentication, 402, 404, 422
// (request body, version, input), 429 with its headers, and the ratelimit headers.
#include <QTest>

#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/sandboxserver.h"
#include "sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

const QString CreateByModel =
    QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");

/** A recorded body as the sandbox must send it: byte for byte, bar a trailing newline. */
QByteArray expectedBody(const QString &name)
{
    return recordedBody(name).trimmed();
}

} // namespace

class TestSandboxErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void authentication_data();
    void authentication();
    void notFound();
    void methodNotAllowed();
    void requestBodyValidation();
    void invalidVersion_data();
    void invalidVersion();
    void inputValidationRecorded();
    void inputValidationTypes_data();
    void inputValidationTypes();
    void strictInputsRejectUnknownProperties();
    void invalidJson();
    void insufficientCredit();
    void rateLimitHeaders();
    void throttledCreates();
    void lowCreditThrottle();

private:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
};

void TestSandboxErrors::init()
{
    m_server = std::make_unique<SandboxServer>(testConfig());
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

void TestSandboxErrors::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void TestSandboxErrors::authentication_data()
{
    QTest::addColumn<QByteArray>("authorization"); // empty: no header
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("recorded");
    QTest::newRow("no header") << QByteArray() << 401 << "error-401-no-token.json";
    QTest::newRow("rejected token")
        << QByteArray("Bearer r8_invalid_abc") << 401 << "error-401-invalid-token.json";
    QTest::newRow("empty bearer") << QByteArray("Bearer ") << 401 << "error-401-invalid-token.json";
    QTest::newRow("unknown scheme")
        << QByteArray("Basic dXNlcjpwYXNz") << 401 << "error-401-invalid-token.json";
    QTest::newRow("bearer") << QByteArray("Bearer r8_anything") << 200 << QString();
    QTest::newRow("legacy Token scheme") << QByteArray("Token r8_anything") << 200 << QString();
}

void TestSandboxErrors::authentication()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QString, recorded);
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const HttpResult r =
        m_client->send("GET", QStringLiteral("/v1/account"), {}, headers, 5000, false);
    QCOMPARE(r.status, status);
    if (recorded.isEmpty()) {
        QCOMPARE(r.json().value(QStringLiteral("username")).toString(),
                 QStringLiteral("brieflow-sandbox"));
        QVERIFY(keys(r.json()).contains(keys(recordedJson(QStringLiteral("account-get.json")))));
        return;
    }
    QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(r.body, expectedBody(recorded));

    // A configurable rejection list.
    m_server->setRejectedTokenPrefixes({QStringLiteral("r8_revoked")});
    m_client->token = QStringLiteral("r8_revoked_1");
    QCOMPARE(m_client->get(QStringLiteral("/v1/account")).status, 401);
    m_client->token = QStringLiteral("r8_invalid_is_fine_now");
    QCOMPARE(m_client->get(QStringLiteral("/v1/account")).status, 200);
}

void TestSandboxErrors::notFound()
{
    const QByteArray expected = expectedBody(QStringLiteral("error-404-not-found.json"));
    for (const QString &path :
         {QStringLiteral("/v1/predictions/abcdefghijklmnopqrstuvwxyz"),
          QStringLiteral("/v1/models/nvidia/sana/versions"), QStringLiteral("/v1/nothing-here"),
          QStringLiteral("/files/x/out-0.png")}) {
        const HttpResult r = m_client->get(path);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.body, expected);
    }
    // A create on a path that is not an official model (the recorded case) is a 404 too.
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/nvidia/sana:c6b5d2b7/predictions"),
                       "{\"input\":{\"prompt\":\"x\"}}");
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, expected);
    QCOMPARE(
        m_client->post(QStringLiteral("/v1/deployments/acme/nope/predictions"), "{\"input\":{}}")
            .status,
        404);
}

void TestSandboxErrors::methodNotAllowed()
{
    const HttpResult r = m_client->send("DELETE", QStringLiteral("/v1/predictions"), {}, {}, 5000);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions/abc/cancel")).status, 405);
}

void TestSandboxErrors::requestBodyValidation()
{
    // The recorded mistake: "model" instead of "version".
    const HttpResult r = m_client->post(
        QStringLiteral("/v1/predictions"),
        "{\"model\":\"black-forest-labs/flux-schnell\",\"input\":{\"prompt\":\"x\"}}");
    QCOMPARE(r.status, 422);
    QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(r.body, expectedBody(QStringLiteral("error-422-request-body-validation.json")));
    QCOMPARE(m_server->stats().predictionsCreated, 0);

    // "version" is not allowed on the model route; "input" is required everywhere.
    const QJsonObject e = m_client->post(CreateByModel, "{\"version\":\"x\"}").json();
    QCOMPARE(e.value(QStringLiteral("detail")).toString(),
             QStringLiteral("- input is required\n- Additional property version is not allowed\n"));
    // Types of the known properties, and the webhook filter's enum.
    const QJsonObject t =
        m_client
            ->post(CreateByModel, "{\"input\":\"x\",\"stream\":1,\"webhook\":\"not a url\","
                                  "\"webhook_events_filter\":[\"completed\",\"done\"]}")
            .json();
    const QJsonArray fields = t.value(QStringLiteral("invalid_fields")).toArray();
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields.at(0).toObject().value(QStringLiteral("description")).toString(),
             QStringLiteral("Invalid type. Expected: object, given: string"));
    QCOMPARE(fields.at(3).toObject().value(QStringLiteral("field")).toString(),
             QStringLiteral("webhook_events_filter.1"));
}

void TestSandboxErrors::invalidVersion_data()
{
    QTest::addColumn<QByteArray>("version");
    const ModelCatalog catalog;
    const QByteArray flux =
        catalog.modelByFullName(ModelCatalog::imageModelName())->versionId.toLatin1();
    QTest::newRow("unknown hex") << QByteArray(64, 'a');
    QTest::newRow("unknown model by name") << QByteArray("stability-ai/sdxl");
    QTest::newRow("wrong version of a known model")
        << QByteArray("meta/meta-llama-3-8b-instruct:" + flux);
    QTest::newRow("short hash") << QByteArray("black-forest-labs/flux-schnell:c6b5d2b7");
    QTest::newRow("nonsense") << QByteArray("???");
}

void TestSandboxErrors::invalidVersion()
{
    QFETCH(QByteArray, version);
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/predictions"),
                       "{\"version\":\"" + version + "\",\"input\":{\"prompt\":\"x\"}}");
    QCOMPARE(r.status, 422);
    QCOMPARE(r.body, expectedBody(QStringLiteral("error-422-invalid-version.json")));
}

void TestSandboxErrors::inputValidationRecorded()
{
    // The recorded flux-schnell 422: prompt missing and num_inference_steps above its maximum.
    const HttpResult r = m_client->post(CreateByModel, "{\"input\":{\"num_inference_steps\":28}}");
    QCOMPARE(r.status, 422);
    QCOMPARE(r.body, expectedBody(QStringLiteral("error-422-input-validation-multiple.json")));
    QCOMPARE(expectedBody(QStringLiteral("error-422-input-validation-required.json")),
             m_client->post(CreateByModel, "{\"input\":{}}").body);
}

void TestSandboxErrors::inputValidationTypes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("description");
    QTest::newRow("enum")
        << QByteArray("{\"prompt\":\"x\",\"output_format\":\"gif\"}") << "enum"
        << "input.output_format"
        << "output_format must be one of the following: \"webp\", \"jpg\", \"png\"";
    QTest::newRow("aspect ratio enum")
        << QByteArray("{\"prompt\":\"x\",\"aspect_ratio\":\"7:3\"}") << "enum"
        << "input.aspect_ratio"
        << "aspect_ratio must be one of the following: \"1:1\", \"16:9\", "
           "\"21:9\", \"3:2\", \"2:3\", \"4:5\", \"5:4\", \"3:4\", \"4:3\", "
           "\"9:16\", \"9:21\"";
    QTest::newRow("number_lte") << QByteArray("{\"prompt\":\"x\",\"num_outputs\":5}")
                                << "number_lte"
                                << "input.num_outputs"
                                << "Must be less than or equal to 4";
    QTest::newRow("number_gte") << QByteArray("{\"prompt\":\"x\",\"num_outputs\":0}")
                                << "number_gte"
                                << "input.num_outputs"
                                << "Must be greater than or equal to 1";
    QTest::newRow("invalid_type") << QByteArray("{\"prompt\":\"x\",\"num_outputs\":\"2\"}")
                                  << "invalid_type"
                                  << "input.num_outputs"
                                  << "Invalid type. Expected: integer, given: string";
    QTest::newRow("integer given a fraction")
        << QByteArray("{\"prompt\":\"x\",\"seed\":1.5}") << "invalid_type"
        << "input.seed"
        << "Invalid type. Expected: integer, given: number";
}

void TestSandboxErrors::inputValidationTypes()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, type);
    QFETCH(QString, field);
    QFETCH(QString, description);
    const HttpResult r = m_client->post(CreateByModel, "{\"input\":" + input + "}");
    QCOMPARE(r.status, 422);
    const QJsonObject e = r.json();
    QCOMPARE(keys(e), keys(recordedJson(QStringLiteral("error-422-input-validation-enum.json"))));
    QCOMPARE(e.value(QStringLiteral("title")).toString(),
             QStringLiteral("Input validation failed"));
    const QJsonObject f = e.value(QStringLiteral("invalid_fields")).toArray().at(0).toObject();
    QCOMPARE(f.value(QStringLiteral("type")).toString(), type);
    QCOMPARE(f.value(QStringLiteral("field")).toString(), field);
    QCOMPARE(f.value(QStringLiteral("description")).toString(), description);
    QCOMPARE(e.value(QStringLiteral("detail")).toString(),
             QStringLiteral("- %1: %2\n").arg(field, description));
}

void TestSandboxErrors::strictInputsRejectUnknownProperties()
{
    const QByteArray body = "{\"input\":{\"prompt\":\"x\",\"width\":512}}";
    QCOMPARE(m_client->post(CreateByModel, body).status, 201); // Replicate ignores unknown inputs
    m_server->setStrictInputs(true);
    const HttpResult r = m_client->post(CreateByModel, body);
    QCOMPARE(r.status, 422);
    const QJsonObject f =
        r.json().value(QStringLiteral("invalid_fields")).toArray().at(0).toObject();
    QCOMPARE(f.value(QStringLiteral("type")).toString(),
             QStringLiteral("additional_property_not_allowed"));
    QCOMPARE(f.value(QStringLiteral("description")).toString(),
             QStringLiteral("Additional property width is not allowed"));
}

void TestSandboxErrors::invalidJson()
{
    const HttpResult r = m_client->post(CreateByModel, "{\"input\":");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
}

void TestSandboxErrors::insufficientCredit()
{
    m_server->setCredit(CreditState::Exhausted);
    const HttpResult r = m_client->post(CreateByModel, "{\"input\":{\"prompt\":\"x\"}}");
    QCOMPARE(r.status, 402);
    QCOMPARE(r.body, expectedBody(QStringLiteral("error-402-insufficient-credit.json")));
    QCOMPARE(m_server->stats().predictionsCreated, 0);
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions")).status, 200); // reads still work
    m_server->setCredit(CreditState::Ok);
    QCOMPARE(m_client->post(CreateByModel, "{\"input\":{\"prompt\":\"x\"}}").status, 201);
}

void TestSandboxErrors::rateLimitHeaders()
{
    const HttpResult created = m_client->post(CreateByModel, "{\"input\":{\"prompt\":\"x\"}}");
    QCOMPARE(created.header("ratelimit-remaining"), QByteArray("599"));
    const QString id = created.json().value(QStringLiteral("id")).toString();
    const HttpResult got = m_client->get(QStringLiteral("/v1/predictions/") + id);
    QCOMPARE(got.header("ratelimit-remaining"), QByteArray("59999"));
    QCOMPARE(got.header("ratelimit-reset"), QByteArray("1"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/models/black-forest-labs/flux-schnell"))
                 .header("ratelimit-remaining"),
             QByteArray("2999"));
    // The second "other" request sees one token fewer (or the same, if one refilled meanwhile).
    const QByteArray other =
        m_client->get(QStringLiteral("/v1/predictions")).header("ratelimit-remaining");
    QVERIFY2(other == "2998" || other == "2999", other.constData());
}

void TestSandboxErrors::throttledCreates()
{
    RateLimits limits;
    limits.create = {60, 2}; // one a second, burst of two
    m_server->setRateLimits(limits);
    const QByteArray body = "{\"input\":{\"prompt\":\"x\"}}";
    QCOMPARE(m_client->post(CreateByModel, body).status, 201);
    QCOMPARE(m_client->post(CreateByModel, body).status, 201);
    const HttpResult r = m_client->post(CreateByModel, body);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(r.header("retry-after"), QByteArray("1"));
    const QJsonObject e = r.json();
    QCOMPARE(keys(e), keys(recordedJson(QStringLiteral("error-429-throttled.json"))));
    QCOMPARE(e.value(QStringLiteral("retry_after")).toInt(), 1);
    QCOMPARE(r.body,
             QByteArray("{\"detail\":\"Request was throttled. Your rate limit resets in ~1s.\","
                        "\"status\":429,\"retry_after\":1}"));
    QCOMPARE(m_server->stats().throttled, 1);
    QCOMPARE(m_server->stats().predictionsCreated, 2);
    // Other buckets are unaffected; the clock refills the create bucket.
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions")).status, 200);
    m_server->advanceClock(1000);
    QCOMPARE(m_client->post(CreateByModel, body).status, 201);
}

void TestSandboxErrors::lowCreditThrottle()
{
    m_server->setCredit(CreditState::Low);
    const QByteArray body = "{\"input\":{\"prompt\":\"x\"}}";
    QCOMPARE(m_client->post(CreateByModel, body).status, 201);
    const HttpResult r = m_client->post(CreateByModel, body);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("retry-after"), QByteArray("10"));
    const QByteArray recorded = expectedBody(QStringLiteral("error-429-low-credit-throttle.json"));
    QCOMPARE(r.body, QByteArray(recorded).replace("~5s", "~10s").replace(":5}", ":10}"));
    m_server->advanceClock(10000);
    QCOMPARE(m_client->post(CreateByModel, body).status, 201);
}

QTEST_GUILESS_MAIN(TestSandboxErrors)
#include "tst_sandboxerrors.moc"
