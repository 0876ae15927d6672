// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// ReplicateClient + PredictionFollower against the Replicate sandbox: every create form, following
// to the end, streaming, cancel, listing, errors, and a reset after create that must not become a
// second prediction.
#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include "core/replicate/predictionfollower.h"
#include "core/replicate/replicateclient.h"
#include "core/sandbox/sandboxserver.h"
#include "core/util/canonicaljson.h"

using namespace brieflow;
using namespace std::chrono_literals;
using sandbox::SandboxConfig;
using sandbox::SandboxServer;

namespace {

const QString kToken = QStringLiteral("r8_SandboxIntegrationToken0000000000000000");
const QString kImageModel = QStringLiteral("black-forest-labs/flux-schnell");
const QString kTextModel = QStringLiteral("meta/meta-llama-3-8b-instruct");

template<typename T>
std::optional<ProviderResult<T>> await(const std::function<CallHandle(ProviderCallback<T>)> &start)
{
    std::optional<ProviderResult<T>> result;
    start([&result](const ProviderResult<T> &r) { result.emplace(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 15000))
        qWarning("no answer within 15 s");
    return result;
}

CreateRequest request(const QString &model, const QJsonObject &input)
{
    CreateRequest r;
    r.model = *ModelRef::parse(model);
    r.input = *canonicalJson(QJsonDocument(input).toJson(QJsonDocument::Compact));
    r.cancelAfter = 120s;
    return r;
}

QJsonObject imageInput(const QString &prompt)
{
    return {{QStringLiteral("prompt"), prompt},
            {QStringLiteral("aspect_ratio"), QStringLiteral("16:9")},
            {QStringLiteral("num_outputs"), 2},
            {QStringLiteral("output_format"), QStringLiteral("png")},
            {QStringLiteral("seed"), 7}};
}

QByteArray download(const QUrl &url)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(url));
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

} // namespace

class TestClientSandbox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void imagePredictionFollowedToTheEnd();
    void everyCreateFormWorks_data();
    void everyCreateFormWorks();
    void textStreamsAndMatchesTheFinalOutput();
    void cancelEndsAsCanceled();
    void listingPagesThroughEverything();
    void invalidInputNamesTheField();
    void badTokenIsUnauthenticated();
    void accountAndModelSchema();
    void resetAfterCreateIsOutcomeUnknownAndOnePrediction();
    void failedPredictionCarriesTheModelError();

private:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<replicate::ReplicateClient> m_client;
    QString m_token = kToken;
};

void TestClientSandbox::init()
{
    SandboxConfig config = SandboxConfig::forTests();
    config.pageSize = 3;
    m_server = std::make_unique<SandboxServer>(config);
    QVERIFY(m_server->start());
    m_token = kToken;
    replicate::ReplicateClient::Options options;
    options.baseUrl = m_server->baseUrl();
    options.token = [this] { return m_token; };
    m_client = std::make_unique<replicate::ReplicateClient>(options);
}

void TestClientSandbox::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void TestClientSandbox::imagePredictionFollowedToTheEnd()
{
    m_server->setLatency(QStringLiteral("image"), sandbox::LatencyDistribution::fixed(50, 150));
    auto created = await<Prediction>([this](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(
            request(kImageModel, imageInput(QStringLiteral("a shoe"))), this, cb);
    });
    QVERIFY(created && created->ok());
    QCOMPARE(toString(created->value().status), QStringLiteral("starting"));

    PredictionFollower follower(*m_client, SteadyClock::instance());
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(created->value(), 200ms);
    QVERIFY(finished.wait(10000));
    const auto done = finished.first().first().value<Prediction>();
    QCOMPARE(toString(done.status), QStringLiteral("succeeded"));
    QCOMPARE(done.outputFiles.size(), 2);
    QVERIFY(done.predictTime.has_value());

    // The bytes we can fetch are the bytes the sandbox served and recorded.
    const sandbox::Prediction *served = m_server->prediction(done.id);
    QVERIFY(served);
    for (int i = 0; i < 2; ++i) {
        const QByteArray bytes = download(QUrl(done.outputFiles.at(i)));
        QVERIFY(bytes.startsWith("\x89PNG"));
        QCOMPARE(sha256Hex(bytes), served->files.at(i).sha256);
    }
    QVERIFY(follower.readsSent() >= 1);
}

void TestClientSandbox::everyCreateFormWorks_data()
{
    QTest::addColumn<QString>("form");
    QTest::newRow("owner/name") << QStringLiteral("name");
    QTest::newRow("owner/name:version") << QStringLiteral("version");
    QTest::newRow("deployment") << QStringLiteral("deployment");
}

void TestClientSandbox::everyCreateFormWorks()
{
    QFETCH(QString, form);
    QString model = kImageModel;
    if (form == QLatin1String("version")) {
        auto info = await<ModelInfo>([this](ProviderCallback<ModelInfo> cb) {
            return m_client->getModel(QStringLiteral("black-forest-labs"),
                                      QStringLiteral("flux-schnell"), this, cb);
        });
        QVERIFY(info && info->ok());
        QVERIFY(info->value().latestVersion.has_value());
        model += QLatin1Char(':') + info->value().latestVersion->id;
    } else if (form == QLatin1String("deployment")) {
        model = QStringLiteral("deployments/brieflow/demo-images");
    }
    auto created = await<Prediction>([this, model](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(request(model, imageInput(QStringLiteral("a lamp"))),
                                          this, cb);
    });
    QVERIFY2(created && created->ok(),
             created && !created->ok() ? qPrintable(created->error().describe()) : "no answer");
    QVERIFY(!created->value().id.isEmpty());
    QCOMPARE(m_server->stats().predictionsCreated, 1);
}

void TestClientSandbox::textStreamsAndMatchesTheFinalOutput()
{
    m_server->setLatency(QStringLiteral("text"), sandbox::LatencyDistribution::fixed(20, 300));
    CreateRequest r =
        request(kTextModel, {{QStringLiteral("prompt"),
                              QStringLiteral("Write a campaign concept for TrailLite 2, a light "
                                             "trail running shoe.")}});
    r.stream = true;
    auto created = await<Prediction>([this, r](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(r, this, cb);
    });
    QVERIFY(created && created->ok());
    QVERIFY(!created->value().streamUrl.isEmpty());

    QString streamed;
    auto end = await<StreamEnd>([this, &created, &streamed](ProviderCallback<StreamEnd> cb) {
        return m_client->streamPrediction(
            created->value(), this,
            [&streamed](const QList<StreamChunk> &chunks) {
                for (const StreamChunk &c : chunks)
                    if (c.kind == StreamChunk::Kind::Text)
                        streamed += c.value;
            },
            cb);
    });
    QVERIFY(end && end->ok());
    QCOMPARE(int(end->value()), int(StreamEnd::Succeeded));

    auto final = await<Prediction>([this, &created](ProviderCallback<Prediction> cb) {
        return m_client->getPrediction(created->value().id, this, cb);
    });
    QVERIFY(final && final->ok());
    QCOMPARE(toString(final->value().status), QStringLiteral("succeeded"));
    QVERIFY(final->value().outputText.contains(QStringLiteral("TrailLite")));
    QCOMPARE(streamed, final->value().outputText);
}

void TestClientSandbox::cancelEndsAsCanceled()
{
    m_server->setLatency(QStringLiteral("image"), sandbox::LatencyDistribution::fixed(0, 5000));
    auto created = await<Prediction>([this](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(request(kImageModel, imageInput(QStringLiteral("slow"))),
                                          this, cb);
    });
    QVERIFY(created && created->ok());
    auto canceled = await<Prediction>([this, &created](ProviderCallback<Prediction> cb) {
        return m_client->cancelPrediction(created->value().id, this, cb);
    });
    QVERIFY(canceled && canceled->ok());
    QCOMPARE(toString(canceled->value().status), QStringLiteral("canceled"));
    QVERIFY(!canceled->value().hasOutput);
}

void TestClientSandbox::listingPagesThroughEverything()
{
    QStringList ids;
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-5);
    for (int i = 0; i < 7; ++i) {
        auto created = await<Prediction>([this, i](ProviderCallback<Prediction> cb) {
            return m_client->createPrediction(
                request(kImageModel, imageInput(QStringLiteral("item %1").arg(i))), this, cb);
        });
        QVERIFY(created && created->ok());
        ids << created->value().id;
    }
    PredictionListQuery query;
    query.createdAfter = before;
    query.maxPages = 10;
    auto page = await<PredictionPage>([this, query](ProviderCallback<PredictionPage> cb) {
        return m_client->listPredictions(query, this, cb);
    });
    QVERIFY(page && page->ok());
    QStringList listed;
    for (const Prediction &p : page->value().predictions)
        listed << p.id;
    QCOMPARE(listed.size(), 7); // three pages of at most 3
    for (const QString &id : std::as_const(ids))
        QVERIFY(listed.contains(id));
    // Newest first, and each listed prediction's input hashes like the one we sent.
    QCOMPARE(listed.first(), ids.last());
    QVERIFY(!page->value().predictions.first().canonicalInput.isEmpty());
}

void TestClientSandbox::invalidInputNamesTheField()
{
    QJsonObject input = imageInput(QStringLiteral("x"));
    input.insert(QStringLiteral("aspect_ratio"), QStringLiteral("16x9"));
    auto created = await<Prediction>([this, input](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(request(kImageModel, input), this, cb);
    });
    QVERIFY(created && !created->ok());
    QCOMPARE(toString(created->error().kind), QStringLiteral("invalid_input"));
    QCOMPARE(created->error().invalidFields.size(), 1);
    QCOMPARE(created->error().invalidFields.first().field, QStringLiteral("input.aspect_ratio"));
    QCOMPARE(m_server->stats().predictionsCreated, 0);
}

void TestClientSandbox::badTokenIsUnauthenticated()
{
    m_token = QStringLiteral("r8_invalid_but_well_formed_0000000000000");
    auto account = await<Account>(
        [this](ProviderCallback<Account> cb) { return m_client->account(this, cb); });
    QVERIFY(account && !account->ok());
    QCOMPARE(toString(account->error().kind), QStringLiteral("unauthenticated"));
    QVERIFY(!account->error().describe().contains(m_token));
}

void TestClientSandbox::accountAndModelSchema()
{
    auto account = await<Account>(
        [this](ProviderCallback<Account> cb) { return m_client->account(this, cb); });
    QVERIFY(account && account->ok());
    QVERIFY(!account->value().username.isEmpty());

    auto info = await<ModelInfo>([this](ProviderCallback<ModelInfo> cb) {
        return m_client->getModel(QStringLiteral("black-forest-labs"),
                                  QStringLiteral("flux-schnell"), this, cb);
    });
    QVERIFY(info && info->ok());
    QVERIFY(info->value().latestVersion.has_value());
    bool sawAspect = false;
    for (const InputProperty &p : info->value().latestVersion->inputs) {
        if (p.name == QLatin1String("aspect_ratio")) {
            sawAspect = true;
            QVERIFY(p.enumValues.contains(QStringLiteral("16:9")));
        }
    }
    QVERIFY(sawAspect);

    auto secret = await<QString>(
        [this](ProviderCallback<QString> cb) { return m_client->defaultWebhookSecret(this, cb); });
    QVERIFY(secret && secret->ok());
    QCOMPARE(secret->value(), m_server->webhookSecret());
}

void TestClientSandbox::resetAfterCreateIsOutcomeUnknownAndOnePrediction()
{
    sandbox::FaultRule reset;
    reset.kind = sandbox::FaultKind::ConnectionReset;
    reset.method = QStringLiteral("POST");
    reset.path = QStringLiteral("/v1/models/*/predictions");
    m_server->addFault(reset);
    auto created = await<Prediction>([this](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(request(kImageModel, imageInput(QStringLiteral("once"))),
                                          this, cb);
    });
    QVERIFY(created && !created->ok());
    QCOMPARE(toString(created->error().kind), QStringLiteral("outcome_unknown"));
    QTest::qWait(300); // give a silent re-send every chance to show up
    QCOMPARE(m_server->stats().predictionsCreated, 1);
    QCOMPARE(m_server->stats().requestsPerEndpoint.value(
                 QStringLiteral("POST /v1/models/{owner}/{name}/predictions")),
             1);
}

void TestClientSandbox::failedPredictionCarriesTheModelError()
{
    sandbox::FaultRule nsfw;
    nsfw.kind = sandbox::FaultKind::FailPrediction;
    nsfw.method = QStringLiteral("POST");
    nsfw.path = QStringLiteral("*");
    m_server->addFault(nsfw);
    auto created = await<Prediction>([this](ProviderCallback<Prediction> cb) {
        return m_client->createPrediction(request(kImageModel, imageInput(QStringLiteral("x"))),
                                          this, cb);
    });
    QVERIFY(created && created->ok());
    PredictionFollower follower(*m_client, SteadyClock::instance());
    QSignalSpy finished(&follower, &PredictionFollower::finished);
    follower.follow(created->value());
    QVERIFY(finished.wait(10000));
    const auto done = finished.first().first().value<Prediction>();
    QCOMPARE(toString(done.status), QStringLiteral("failed"));
    QVERIFY(done.error.contains(QStringLiteral("NSFW")));
}

QTEST_GUILESS_MAIN(TestClientSandbox)
#include "tst_clientsandbox.moc"
