// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QTest>

#include "tests/replicate/clienttestutil.h"

using namespace brieflow;
using namespace brieflow::replicate;
using namespace brieflow::test;
using namespace std::chrono_literals;
using Response = FakeHttpServer::Response;

Q_DECLARE_METATYPE(brieflow::ProviderError::Kind)

namespace {

const QString kVersion =
    QStringLiteral("39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b");

// Every log line of the process, to check the token never reaches one.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

QByteArray bearer()
{
    return QByteArray("Bearer ") + kCanaryToken.toUtf8();
}

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker lock(&g_logMutex);
        g_log << message;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestReplicateClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void createRequestForEachModelForm_data();
    void createRequestForEachModelForm();
    void syncCreateSendsPreferAndMayStillBeRunning();
    void createWithoutCancelAfterSendsNothing();
    void getPrediction();
    void cancelPrediction();
    void listFollowsNextUntilNull();
    void listStopsAfterMaxPages();
    void listRefusesAForeignNextLink();
    void accountModelsAndWebhookSecret();
    void httpErrorsAreTypedAndNotRetried_data();
    void httpErrorsAreTypedAndNotRetried();
    void missingTokenSendsNothing();
    void redirectsStayOnTheSameOrigin();
    void tokenCanaryNeverLeaks();

private:
    FakeHttpServer *m_server = nullptr;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<ReplicateClient> m_client;
};

void TestReplicateClient::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("brieflow.*=true"));
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void TestReplicateClient::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
}

void TestReplicateClient::init()
{
    m_client.reset();
    delete m_server;
    m_server = new FakeHttpServer(this);
    QVERIFY(m_server->listen());
    m_clock = std::make_unique<FakeClock>();
    m_client = makeClient(m_server->baseUrl(), m_clock.get());
}

void TestReplicateClient::createRequestForEachModelForm_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("response");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("id");
    QTest::newRow("official model") << "meta/meta-llama-3-8b-instruct"
                                    << "prediction-create-official-model-starting.json"
                                    << "/v1/models/meta/meta-llama-3-8b-instruct/predictions"
                                    << QString() << "cjt2hahk61rgp0cf0p2arcdp9r";
    QTest::newRow("owner/name:version")
        << QStringLiteral("stability-ai/sdxl:") + kVersion
        << "prediction-create-version-starting.json"
        << "/v1/predictions" << kVersion << "vgcm4plb7tgzlyznry5d5jkgvu";
    QTest::newRow("bare version") << kVersion << "prediction-create-version-starting.json"
                                  << "/v1/predictions" << kVersion << "vgcm4plb7tgzlyznry5d5jkgvu";
    QTest::newRow("deployment") << "deployments/replicate/greeter"
                                << "prediction-deployment-create-starting.json"
                                << "/v1/deployments/replicate/greeter/predictions" << QString()
                                << "mfrgcyzzme2wkmbwgzrgmntcg";
}

void TestReplicateClient::createRequestForEachModelForm()
{
    QFETCH(QString, model);
    QFETCH(QString, response);
    QFETCH(QString, path);
    QFETCH(QString, version);
    QFETCH(QString, id);

    m_server->enqueue(recorded(201, response));
    CreateRequest request = makeCreateRequest(model);
    request.cancelAfter = 5min;
    Waiter<Prediction> done;
    m_client->createPrediction(request, this, done.callback());
    QVERIFY(done.wait());
    QVERIFY2(*done, qPrintable(done->ok() ? QString() : done->error().describe()));
    QCOMPARE((*done)->id, id);
    QCOMPARE(toString((*done)->status), QStringLiteral("starting"));

    QCOMPARE(m_server->requestCount(), 1);
    const FakeHttpServer::Request &sent = m_server->requests().first();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path(), path);
    QCOMPARE(sent.header("Authorization"), bearer());
    const QByteArray userAgent =
        QByteArray("Brieflow/" BRIEFLOW_VERSION_STRING " (Qt ") + QByteArray(qVersion()) + ')';
    QCOMPARE(sent.header("User-Agent"), userAgent);
    QCOMPARE(sent.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(sent.header("Cancel-After"), QByteArray("5m"));
    QVERIFY(!sent.hasHeader("Prefer"));
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    QCOMPARE(body.value(QStringLiteral("version")).toString(), version);
    QCOMPARE(body.value(QStringLiteral("input")).toObject(),
             QJsonDocument::fromJson(R"({"prompt":"a corgi","seed":42})").object());
}

void TestReplicateClient::syncCreateSendsPreferAndMayStillBeRunning()
{
    m_server->enqueue(
        recorded(201, QStringLiteral("prediction-create-prefer-wait10-processing-llm.json"))
            .header("Preference-Applied", "wait=10"));
    CreateRequest request = makeCreateRequest(QStringLiteral("meta/meta-llama-3-8b-instruct"));
    request.preferWaitSeconds = 10;
    Waiter<Prediction> done;
    m_client->createPrediction(request, this, done.callback());
    QVERIFY(done.wait());
    QVERIFY(*done);
    QCOMPARE(m_server->requests().first().header("Prefer"), QByteArray("wait=10"));
    // 201 + "processing" + a full-looking output: the caller must keep following it.
    QVERIFY(!isTerminal((*done)->status));
    QVERIFY((*done)->hasOutput);
    QVERIFY((*done)->streamUrl.isValid());
}

void TestReplicateClient::createWithoutCancelAfterSendsNothing()
{
    CreateRequest request = makeCreateRequest(QStringLiteral("meta/llama"));
    request.cancelAfter = 0s;
    Waiter<Prediction> done;
    const CallHandle handle = m_client->createPrediction(request, this, done.callback());
    QCOMPARE(done.calls, 0); // never called back from inside the call
    QVERIFY(handle.isNull());
    QVERIFY(done.wait());
    QVERIFY(!*done);
    QCOMPARE(toString(done->error().kind), QStringLiteral("invalid_request"));
    QVERIFY(!done->error().mayHaveReachedServer);
    QCOMPARE(done->error().attempts, 0);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestReplicateClient::getPrediction()
{
    m_server->enqueue(recorded(200, QStringLiteral("prediction-get-succeeded-file-output.json")));
    Waiter<Prediction> done;
    m_client->getPrediction(QStringLiteral("azaq55dbukgxg6kubr4k6g3pby"), this, done.callback());
    QCOMPARE(done.calls, 0);
    QVERIFY(done.wait());
    QVERIFY(*done);
    QCOMPARE(toString((*done)->status), QStringLiteral("succeeded"));
    QCOMPARE((*done)->outputFiles.size(), 1);
    const FakeHttpServer::Request &sent = m_server->requests().first();
    QCOMPARE(sent.method, QByteArray("GET"));
    QCOMPARE(sent.target, QByteArray("/v1/predictions/azaq55dbukgxg6kubr4k6g3pby"));
    QCOMPARE(sent.header("Accept"), QByteArray("application/json"));
    QCOMPARE(sent.header("Authorization"), bearer());
    QVERIFY(!sent.hasHeader("Cancel-After"));
}

void TestReplicateClient::cancelPrediction()
{
    m_server->enqueue(recorded(200, QStringLiteral("prediction-cancel-canceled.json")));
    Waiter<Prediction> done;
    m_client->cancelPrediction(QStringLiteral("hdwst0bb05rgp0cf0p29mzk2am"), this, done.callback());
    QVERIFY(done.wait());
    QVERIFY(*done);
    QCOMPARE(toString((*done)->status), QStringLiteral("canceled"));
    const FakeHttpServer::Request &sent = m_server->requests().first();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path(), QStringLiteral("/v1/predictions/hdwst0bb05rgp0cf0p29mzk2am/cancel"));
    QVERIFY(sent.body.isEmpty());
}

void TestReplicateClient::listFollowsNextUntilNull()
{
    for (int page = 1; page <= 3; ++page)
        m_server->enqueue(
            recorded(200, QStringLiteral("synthetic-predictions-list-page%1.json").arg(page)));
    PredictionListQuery query;
    query.createdAfter = utc(2026, 1, 1, 9, 59, 50);
    query.createdBefore = utc(2026, 1, 1, 10, 5, 0);
    query.maxPages = 100;
    Waiter<PredictionPage> done;
    m_client->listPredictions(query, this, done.callback());
    QVERIFY(done.wait());
    QVERIFY2(*done, qPrintable(done->ok() ? QString() : done->error().describe()));
    QCOMPARE((*done)->predictions.size(), 4);
    QVERIFY((*done)->next.isEmpty());
    QCOMPARE(toString((*done)->predictions.last().status), QStringLiteral("aborted"));

    const QList<FakeHttpServer::Request> &sent = m_server->requests();
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent.at(0).path(), QStringLiteral("/v1/predictions"));
    QCOMPARE(sent.at(0).query().queryItemValue(QStringLiteral("created_after")),
             QStringLiteral("2026-01-01T09:59:50.000Z"));
    QCOMPARE(sent.at(0).query().queryItemValue(QStringLiteral("created_before")),
             QStringLiteral("2026-01-01T10:05:00.000Z"));
    QCOMPARE(sent.at(1).target, QByteArray("/v1/predictions?cursor=cD0yMDI2LTAxLTAx")); // verbatim
    QCOMPARE(sent.at(2).target, QByteArray("/v1/predictions?cursor=cD0yMDI2LTAxLTAy"));
    for (const FakeHttpServer::Request &request : sent)
        QCOMPARE(request.header("Authorization"), bearer());
}

void TestReplicateClient::listStopsAfterMaxPages()
{
    for (int page = 1; page <= 2; ++page)
        m_server->enqueue(
            recorded(200, QStringLiteral("synthetic-predictions-list-page%1.json").arg(page)));
    PredictionListQuery query;
    query.maxPages = 2;
    Waiter<PredictionPage> done;
    m_client->listPredictions(query, this, done.callback());
    QVERIFY(done.wait());
    QVERIFY(*done);
    QCOMPARE((*done)->predictions.size(), 3);
    QCOMPARE((*done)->next, QUrl(m_server->origin().toString()
                                 + QStringLiteral("/v1/predictions?cursor=cD0yMDI2LTAxLTAy")));
    QCOMPARE(m_server->requestCount(), 2);

    // The caller continues from `next`, one page per call by default.
    m_server->enqueue(recorded(200, QStringLiteral("synthetic-predictions-list-page3.json")));
    PredictionListQuery more;
    more.cursor = (*done)->next;
    Waiter<PredictionPage> rest;
    m_client->listPredictions(more, this, rest.callback());
    QVERIFY(rest.wait());
    QVERIFY(*rest);
    QCOMPARE((*rest)->predictions.size(), 1);
    QVERIFY((*rest)->next.isEmpty());
    QCOMPARE(m_server->requests().last().target,
             QByteArray("/v1/predictions?cursor=cD0yMDI2LTAxLTAy"));
}

void TestReplicateClient::listRefusesAForeignNextLink()
{
    // A page whose `next` points elsewhere: the token must not follow it.
    m_server->enqueue(Response::json(
        200, R"({"next":"http://127.0.0.2:1/v1/predictions?cursor=x","results":[]})"));
    PredictionListQuery query;
    query.maxPages = 5;
    Waiter<PredictionPage> done;
    m_client->listPredictions(query, this, done.callback());
    QVERIFY(done.wait());
    QVERIFY(!*done);
    QCOMPARE(toString(done->error().kind), QStringLiteral("invalid_request"));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestReplicateClient::accountModelsAndWebhookSecret()
{
    m_server->setHandler([](const FakeHttpServer::Request &request) {
        const QString path = request.path();
        if (path == QLatin1StringView("/v1/account"))
            return recorded(200, QStringLiteral("account-get.json"));
        if (path == QLatin1StringView("/v1/models/stability-ai/sdxl"))
            return recorded(200, QStringLiteral("model-get-sdxl.json"));
        if (path.startsWith(QLatin1StringView("/v1/models/stability-ai/sdxl/versions/")))
            return recorded(200, QStringLiteral("version-get-sdxl-openapi-schema.json"));
        if (path == QLatin1StringView("/v1/webhooks/default/secret"))
            return recorded(200, QStringLiteral("webhook-default-secret.json"));
        return recorded(404, QStringLiteral("error-404-not-found.json"));
    });
    Waiter<Account> account;
    Waiter<ModelInfo> model;
    Waiter<ModelVersion> version;
    Waiter<QString> secret;
    m_client->account(this, account.callback());
    m_client->getModel(QStringLiteral("stability-ai"), QStringLiteral("sdxl"), this,
                       model.callback());
    m_client->getModelVersion(QStringLiteral("stability-ai"), QStringLiteral("sdxl"), kVersion,
                              this, version.callback());
    m_client->defaultWebhookSecret(this, secret.callback());
    QVERIFY(account.wait() && model.wait() && version.wait() && secret.wait());
    QVERIFY(*account && *model && *version && *secret);
    QCOMPARE((*account)->username, QStringLiteral("replicate"));
    QCOMPARE((*model)->latestVersion->id, kVersion);
    QCOMPARE((*version)->inputs.first().name, QStringLiteral("prompt"));
    QCOMPARE(**secret, QStringLiteral("whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH"));
    QCOMPARE(m_server->requestCount(), 4);
}

void TestReplicateClient::httpErrorsAreTypedAndNotRetried_data()
{
    using K = ProviderError::Kind;
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("create");
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<int>("invalidFields");
    QTest::newRow("401 on get") << 401 << "error-401-invalid-token.json" << false
                                << K::Unauthenticated << 0;
    QTest::newRow("401 on create")
        << 401 << "error-401-no-token.json" << true << K::Unauthenticated << 0;
    QTest::newRow("402 on create")
        << 402 << "error-402-insufficient-credit.json" << true << K::InsufficientCredit << 0;
    QTest::newRow("404 on get") << 404 << "error-404-not-found.json" << false << K::NotFound << 0;
    QTest::newRow("404 on create") << 404 << "error-404-not-found.json" << true << K::NotFound << 0;
    QTest::newRow("422 on create")
        << 422 << "error-422-input-validation-multiple.json" << true << K::InvalidInput << 2;
    QTest::newRow("422 invalid version")
        << 422 << "error-422-invalid-version.json" << true << K::InvalidInput << 0;
    QTest::newRow("400 on get") << 400 << "error-404-not-found-legacy.json" << false << K::HttpError
                                << 0;
    QTest::newRow("malformed 200 on get") << 200 << "" << false << K::MalformedResponse << 0;
}

void TestReplicateClient::httpErrorsAreTypedAndNotRetried()
{
    QFETCH(int, status);
    QFETCH(QString, file);
    QFETCH(bool, create);
    QFETCH(ProviderError::Kind, kind);
    QFETCH(int, invalidFields);

    if (status == 200)
        m_server->enqueue(Response::json(200, R"({"id":"abc","status":"queued"})"));
    else
        m_server->enqueue(recorded(status, file));
    Waiter<Prediction> done;
    if (create)
        m_client->createPrediction(makeCreateRequest(QStringLiteral("meta/llama")), this,
                                   done.callback());
    else
        m_client->getPrediction(QStringLiteral("abc"), this, done.callback());
    QVERIFY(done.wait());
    QVERIFY(!*done);
    const ProviderError &error = done->error();
    QCOMPARE(toString(error.kind), toString(kind));
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.invalidFields.size(), invalidFields);
    QCOMPARE(error.attempts, 1);
    QVERIFY(!error.rawBody.isEmpty());
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_clock->pendingCount(), 0); // no retry scheduled
}

void TestReplicateClient::missingTokenSendsNothing()
{
    m_client = makeClient(m_server->baseUrl(), m_clock.get(),
                          [](ReplicateClient::Options &o) { o.token = [] { return QString(); }; });
    Waiter<Account> done;
    m_client->account(this, done.callback());
    QCOMPARE(done.calls, 0);
    QVERIFY(done.wait());
    QVERIFY(!*done);
    QCOMPARE(toString(done->error().kind), QStringLiteral("unauthenticated"));
    QVERIFY(!done->error().mayHaveReachedServer);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestReplicateClient::redirectsStayOnTheSameOrigin()
{
    FakeHttpServer elsewhere;
    QVERIFY(elsewhere.listen());
    elsewhere.setHandler([](const FakeHttpServer::Request &) {
        return recorded(200, QStringLiteral("prediction-get-starting.json"));
    });

    // Same origin: followed, with the token.
    m_server->enqueue(Response::json(302, {}).header("Location", "/v1/predictions/moved"));
    m_server->enqueue(recorded(200, QStringLiteral("prediction-get-starting.json")));
    Waiter<Prediction> same;
    m_client->getPrediction(QStringLiteral("old"), this, same.callback());
    QVERIFY(same.wait());
    QVERIFY2(*same, qPrintable(same->ok() ? QString() : same->error().describe()));
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(m_server->requests().at(1).path(), QStringLiteral("/v1/predictions/moved"));
    QCOMPARE(m_server->requests().at(1).header("Authorization"), bearer());

    // Another origin: refused, nothing reaches it.
    const QByteArray target = elsewhere.baseUrl().toString().toUtf8() + "/predictions/x";
    m_server->enqueue(Response::json(302, {}).header("Location", target));
    Waiter<Prediction> foreign;
    m_client->getPrediction(QStringLiteral("old"), this, foreign.callback());
    QVERIFY(foreign.wait());
    QVERIFY(!*foreign);
    QCOMPARE(toString(foreign->error().kind), QStringLiteral("http_error"));
    QCOMPARE(foreign->error().httpStatus, 302);
    QCOMPARE(elsewhere.requestCount(), 0);

    // A create never follows a redirect (the server answered: nothing was created).
    m_server->enqueue(Response::json(307, {}).header("Location", "/v1/predictions"));
    Waiter<Prediction> create;
    m_client->createPrediction(makeCreateRequest(QStringLiteral("meta/llama")), this,
                               create.callback());
    QVERIFY(create.wait());
    QVERIFY(!*create);
    QCOMPARE(toString(create->error().kind), QStringLiteral("http_error"));
    QCOMPARE(create->error().httpStatus, 307);
    QCOMPARE(m_server->requestCount(), 4);
}

void TestReplicateClient::tokenCanaryNeverLeaks()
{
    {
        const QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    const QByteArray canary = kCanaryToken.toUtf8();
    // A hostile or buggy server that echoes the token back in every kind of answer.
    m_server->enqueue(Response::json(401, R"({"title":"Unauthenticated","detail":"bad token )"
                                              + canary + R"("})"));
    m_server->enqueue(Response::json(
        422, R"({"title":")" + canary + R"(","invalid_fields":[{"type":"x","field":")" + canary
                 + R"(","description":")" + canary + R"("}]})"));
    m_server->enqueue(Response::json(201, R"({"id":")" + canary)); // unreadable 2xx on create
    m_server->enqueue(Response::json(500, "proxy says " + canary));
    m_server->enqueue(Response::json(200, "Authorization: Bearer " + canary)); // malformed read

    QList<ProviderError> errors;
    for (int i = 0; i < 5; ++i) {
        Waiter<Prediction> done;
        if (i == 1 || i == 2)
            m_client->createPrediction(makeCreateRequest(QStringLiteral("meta/llama")), this,
                                       done.callback());
        else
            m_client->getPrediction(QStringLiteral("abc"), this, done.callback());
        if (i == 3) { // the 500 on a read is retried: let the retry hit a 404
            QTRY_COMPARE(m_clock->pendingCount(), 1);
            m_server->enqueue(Response::json(404, "gone " + canary));
            m_clock->runNext();
        }
        QVERIFY(done.wait());
        QVERIFY(!*done);
        errors << done->error();
    }
    QCOMPARE(toString(errors.at(2).kind), QStringLiteral("outcome_unknown"));
    QCOMPARE(m_server->requestCount(), 6);
    for (const FakeHttpServer::Request &request : m_server->requests()) // the canary is real
        QCOMPARE(request.header("Authorization"), bearer());

    for (const ProviderError &error : errors) {
        const QString where = error.describe();
        QVERIFY2(!where.contains(kCanaryToken), qPrintable(where));
        QVERIFY(!error.title.contains(kCanaryToken));
        QVERIFY(!error.detail.contains(kCanaryToken));
        QVERIFY2(!error.rawBody.contains(canary), error.rawBody.constData());
        QVERIFY(!error.rawBody.isEmpty());
        for (const InvalidField &field : error.invalidFields)
            QVERIFY(!field.field.contains(kCanaryToken)
                    && !field.description.contains(kCanaryToken));
    }
    const QMutexLocker lock(&g_logMutex);
    QVERIFY(!g_log.isEmpty()); // debug logging was on
    for (const QString &line : std::as_const(g_log))
        QVERIFY2(!line.contains(kCanaryToken), qPrintable(line));
}

QTEST_GUILESS_MAIN(TestReplicateClient)
#include "tst_replicateclient.moc"
