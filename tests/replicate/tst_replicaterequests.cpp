// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include "core/replicate/replicaterequests.h"

using namespace brieflow;
using namespace brieflow::replicate;
using namespace std::chrono_literals;

namespace {

const QUrl kBase(QStringLiteral("https://api.replicate.com/v1"));
const QString kVersion =
    QStringLiteral("39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b");

CreateRequest makeCreate(const QString &model)
{
    CreateRequest request;
    request.model = ModelRef::parse(model).value_or(ModelRef{});
    request.input = R"({"prompt":"a corgi"})";
    request.cancelAfter = 90s;
    return request;
}

QByteArray headerValue(const HttpRequestSpec &spec, const QByteArray &name)
{
    for (const auto &[key, value] : spec.headers) {
        if (key == name)
            return value;
    }
    return {};
}

} // namespace

class TestReplicateRequests : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createEndpoints_data();
    void createEndpoints();
    void createOptionsGoIntoTheBody();
    void createIsRefusedWithoutCancelAfter_data();
    void createIsRefusedWithoutCancelAfter();
    void cancelAfterFormat_data();
    void cancelAfterFormat();
    void readEndpoints();
    void listingQueriesAndCursors();
    void baseUrlNormalisation_data();
    void baseUrlNormalisation();
    void idsAreValidatedBeforeTheyReachAPath_data();
    void idsAreValidatedBeforeTheyReachAPath();
};

void TestReplicateRequests::createEndpoints_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("versionField");
    QTest::newRow("official model")
        << "meta/meta-llama-3-8b-instruct"
        << "/v1/models/meta/meta-llama-3-8b-instruct/predictions" << QString();
    QTest::newRow("owner/name:version")
        << QStringLiteral("stability-ai/sdxl:") + kVersion << "/v1/predictions" << kVersion;
    QTest::newRow("bare version") << kVersion << "/v1/predictions" << kVersion;
    QTest::newRow("deployment") << "deployments/acme/image-gen"
                                << "/v1/deployments/acme/image-gen/predictions" << QString();
}

void TestReplicateRequests::createEndpoints()
{
    QFETCH(QString, model);
    QFETCH(QString, path);
    QFETCH(QString, versionField);
    const auto spec = buildCreateRequest(kBase, makeCreate(model));
    QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().describe()));
    QCOMPARE(spec->method, QByteArray("POST"));
    QVERIFY(spec->kind == RequestKind::Create);
    QCOMPARE(spec->url.path(), path);
    QCOMPARE(spec->url.host(), QStringLiteral("api.replicate.com"));
    QCOMPARE(headerValue(*spec, "Cancel-After"), QByteArray("1m30s"));
    QVERIFY(headerValue(*spec, "Prefer").isNull());
    const QJsonObject body = QJsonDocument::fromJson(spec->body).object();
    QCOMPARE(body.value(QStringLiteral("version")).toString(), versionField);
    QCOMPARE(body.contains(QStringLiteral("version")), !versionField.isEmpty());
    QCOMPARE(body.value(QStringLiteral("input")).toObject().value(QStringLiteral("prompt")),
             QStringLiteral("a corgi"));
    QVERIFY(!body.contains(QStringLiteral("webhook")));
    QVERIFY(!body.contains(QStringLiteral("stream")));
}

void TestReplicateRequests::createOptionsGoIntoTheBody()
{
    CreateRequest request = makeCreate(QStringLiteral("meta/llama"));
    request.webhook = QUrl(QStringLiteral("https://hooks.example/replicate?job=1"));
    request.webhookEventsFilter = {QStringLiteral("start"), QStringLiteral("completed")};
    request.stream = true;
    request.preferWaitSeconds = 10;
    request.cancelAfter = 2h;
    const auto spec = buildCreateRequest(kBase, request);
    QVERIFY(spec);
    QCOMPARE(headerValue(*spec, "Prefer"), QByteArray("wait=10"));
    QCOMPARE(headerValue(*spec, "Cancel-After"), QByteArray("2h"));
    QCOMPARE(spec->preferWaitSeconds, 10);
    QCOMPARE(spec->body, QByteArray(R"({"input":{"prompt":"a corgi"},"stream":true,)"
                                    R"("webhook":"https://hooks.example/replicate?job=1",)"
                                    R"("webhook_events_filter":["start","completed"]})"));
}

void TestReplicateRequests::createIsRefusedWithoutCancelAfter_data()
{
    QTest::addColumn<int>("cancelAfterSeconds");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("preferWait");
    QTest::newRow("no Cancel-After") << 0 << QByteArray(R"({"a":1})") << 0;
    QTest::newRow("negative Cancel-After") << -5 << QByteArray(R"({"a":1})") << 0;
    QTest::newRow("Cancel-After under 5 s") << 4 << QByteArray(R"({"a":1})") << 0;
    QTest::newRow("input not JSON") << 60 << QByteArray("prompt=x") << 0;
    QTest::newRow("input an array") << 60 << QByteArray("[1]") << 0;
    QTest::newRow("wait over 60 s") << 60 << QByteArray("{}") << 61;
    QTest::newRow("negative wait") << 60 << QByteArray("{}") << -1;
}

void TestReplicateRequests::createIsRefusedWithoutCancelAfter()
{
    QFETCH(int, cancelAfterSeconds);
    QFETCH(QByteArray, input);
    QFETCH(int, preferWait);
    CreateRequest request = makeCreate(QStringLiteral("meta/llama"));
    request.cancelAfter = std::chrono::seconds(cancelAfterSeconds);
    request.input = input;
    request.preferWaitSeconds = preferWait;
    const auto spec = buildCreateRequest(kBase, request);
    QVERIFY(!spec);
    QCOMPARE(toString(spec.error().kind), toString(ProviderError::Kind::InvalidRequest));
    QVERIFY(!spec.error().mayHaveReachedServer);
}

void TestReplicateRequests::cancelAfterFormat_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("5 s") << 5 << "5s";
    QTest::newRow("90 s") << 90 << "1m30s";
    QTest::newRow("5 min") << 300 << "5m";
    QTest::newRow("1 h") << 3600 << "1h";
    QTest::newRow("1h30m45s") << 5445 << "1h30m45s";
    QTest::newRow("2h5s") << 7205 << "2h5s";
}

void TestReplicateRequests::cancelAfterFormat()
{
    QFETCH(int, seconds);
    QFETCH(QString, text);
    QCOMPARE(formatCancelAfter(std::chrono::seconds(seconds)), text);
}

void TestReplicateRequests::readEndpoints()
{
    QCOMPARE(buildGetPrediction(kBase, QStringLiteral("gm3qorzdhgbfurvjtvhg6dckhu"))->url,
             QUrl(QStringLiteral(
                 "https://api.replicate.com/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu")));
    const auto cancel = buildCancelPrediction(kBase, QStringLiteral("abc"));
    QCOMPARE(cancel->method, QByteArray("POST"));
    QVERIFY(cancel->kind == RequestKind::Read);
    QCOMPARE(cancel->url.path(), QStringLiteral("/v1/predictions/abc/cancel"));
    QVERIFY(cancel->body.isEmpty());
    QCOMPARE(buildAccount(kBase).url.path(), QStringLiteral("/v1/account"));
    QCOMPARE(
        buildGetModel(kBase, QStringLiteral("stability-ai"), QStringLiteral("sdxl"))->url.path(),
        QStringLiteral("/v1/models/stability-ai/sdxl"));
    QCOMPARE(buildGetModelVersion(kBase, QStringLiteral("stability-ai"), QStringLiteral("sdxl"),
                                  kVersion)
                 ->url.path(),
             QStringLiteral("/v1/models/stability-ai/sdxl/versions/") + kVersion);
    QCOMPARE(buildDefaultWebhookSecret(kBase).url.path(),
             QStringLiteral("/v1/webhooks/default/secret"));
}

void TestReplicateRequests::listingQueriesAndCursors()
{
    PredictionListQuery query;
    query.createdAfter = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
    query.createdBefore = QDateTime(QDate(2026, 1, 2), QTime(5, 0), Qt::OffsetFromUTC, 3600);
    const auto spec = buildListPredictions(kBase, query);
    QVERIFY(spec);
    QCOMPARE(spec->url.path(), QStringLiteral("/v1/predictions"));
    const QUrlQuery items(spec->url);
    QCOMPARE(items.queryItemValue(QStringLiteral("created_after")),
             QStringLiteral("2026-01-02T03:04:05.006Z"));
    QCOMPARE(items.queryItemValue(QStringLiteral("created_before")),
             QStringLiteral("2026-01-02T04:00:00.000Z"));

    QCOMPARE(buildListPredictions(kBase, {})->url.query(), QString());

    PredictionListQuery next;
    next.cursor = QUrl(QStringLiteral("https://api.replicate.com/v1/predictions?cursor=cD0yMDIy"));
    QCOMPARE(buildListPredictions(kBase, next)->url, next.cursor); // verbatim

    for (const char *foreign : {"https://evil.example/v1/predictions?cursor=x",
                                "http://api.replicate.com/v1/predictions?cursor=x",
                                "https://api.replicate.com:8443/v1/predictions"}) {
        next.cursor = QUrl(QString::fromLatin1(foreign));
        const auto refused = buildListPredictions(kBase, next);
        QVERIFY2(!refused, foreign);
        QCOMPARE(toString(refused.error().kind), toString(ProviderError::Kind::InvalidRequest));
    }
}

void TestReplicateRequests::baseUrlNormalisation_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default form") << "https://api.replicate.com/v1"
                                  << "https://api.replicate.com/v1";
    QTest::newRow("settings form without /v1") << "https://api.replicate.com"
                                               << "https://api.replicate.com/v1";
    QTest::newRow("trailing slash") << "http://127.0.0.1:8080/v1/"
                                    << "http://127.0.0.1:8080/v1";
    QTest::newRow("root slash") << "http://localhost:9/"
                                << "http://localhost:9/v1";
    QTest::newRow("ftp is refused") << "ftp://api.replicate.com/v1"
                                    << "";
    QTest::newRow("no host") << "/v1"
                             << "";
}

void TestReplicateRequests::baseUrlNormalisation()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(normalizeBaseUrl(QUrl(input)).toString(), expected);
}

void TestReplicateRequests::idsAreValidatedBeforeTheyReachAPath_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << "";
    QTest::newRow("slash") << "abc/../../account";
    QTest::newRow("query") << "abc?x=1";
    QTest::newRow("space") << "abc def";
    QTest::newRow("too long") << QString(65, QLatin1Char('a'));
}

void TestReplicateRequests::idsAreValidatedBeforeTheyReachAPath()
{
    QFETCH(QString, id);
    QCOMPARE(toString(buildGetPrediction(kBase, id).error().kind),
             toString(ProviderError::Kind::InvalidRequest));
    QCOMPARE(toString(buildCancelPrediction(kBase, id).error().kind),
             toString(ProviderError::Kind::InvalidRequest));
    QVERIFY(!buildGetModelVersion(kBase, QStringLiteral("a"), QStringLiteral("b"), id));
    if (id.size() <= 64)
        QVERIFY(!buildGetModel(kBase, id, QStringLiteral("b")));
}

QTEST_GUILESS_MAIN(TestReplicateRequests)
#include "tst_replicaterequests.moc"
