// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Conformance of the prediction endpoints with docs/replicate-api.md and the recorded responses:
// every create form, GET, cancel, statuses, Prefer: wait, Cancel-After, outputs.
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QImage>
#include <QRegularExpression>
#include <QTest>

#include "core/sandbox/imagegenerator.h"
#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/sandboxformat.h"
#include "core/sandbox/sandboxserver.h"
#include "sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

const QString TextModel = QStringLiteral("meta/meta-llama-3-8b-instruct");
const QString ImageModel = QStringLiteral("black-forest-labs/flux-schnell");

QByteArray briefPrompt()
{
    return "Write a short campaign concept.\\nProduct name: TrailLite 2\\nAudience: Weekend trail "
           "runners aged 25-45\\nValue proposition: Our lightest cushioned trail shoe grips on wet "
           "rock.\\nTone: Energetic, outdoorsy";
}

QByteArray textInput()
{
    return "{\"prompt\":\"" + briefPrompt() + "\",\"max_tokens\":256}";
}

QString joined(const QJsonObject &prediction)
{
    QString text;
    for (const auto &token : prediction.value(QStringLiteral("output")).toArray())
        text += token.toString();
    return text;
}

} // namespace

class TestSandboxPredictions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createForms_data();
    void createForms();
    void createEchoesWebhookAndStream();
    void succeededTextPrediction();
    void imagePredictionThroughDeployment();
    void imageSizesAndFormats_data();
    void imageSizesAndFormats();
    void preferWaitZeroLatency();
    void preferWaitLongerThanWait();
    void preferWaitQuirkReturnsProcessing();
    void cancelRunning();
    void cancelFinishedIsUnchanged();
    void cancelAfterBeforeStartAborts();
    void cancelAfterWhileRunningCancels();
    void cancelAfterGrammar_data();
    void cancelAfterGrammar();
    void internalModelNameQuirk();
    void determinism();
    void idsAndTimestamps();

private:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
};

void TestSandboxPredictions::init()
{
    m_server = std::make_unique<SandboxServer>(testConfig());
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

void TestSandboxPredictions::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void TestSandboxPredictions::createForms_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("versionField"); // empty: no "version" in the body
    QTest::addColumn<QString>("expectedVersion");
    const ModelCatalog catalog;
    const SandboxModel *llama = catalog.modelByFullName(TextModel);
    QTest::newRow("version as owner/name")
        << "/v1/predictions" << TextModel << llama->modelEndpointVersion;
    QTest::newRow("version as owner/name:hex")
        << "/v1/predictions" << QString(TextModel + QLatin1Char(':') + llama->versionId)
        << llama->versionId;
    QTest::newRow("version as bare hex")
        << "/v1/predictions" << llama->versionId << llama->versionId;
    QTest::newRow("official model path") << "/v1/models/meta/meta-llama-3-8b-instruct/predictions"
                                         << QString() << llama->modelEndpointVersion;
}

void TestSandboxPredictions::createForms()
{
    QFETCH(QString, path);
    QFETCH(QString, versionField);
    QFETCH(QString, expectedVersion);
    const QByteArray body = versionField.isEmpty()
                                ? QByteArray("{\"input\":" + textInput() + "}")
                                : QByteArray("{\"version\":\"" + versionField.toUtf8()
                                             + "\",\"input\":" + textInput() + "}");
    const HttpResult r = m_client->post(path, body);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.header("ratelimit-remaining"), QByteArray("599"));
    QCOMPARE(r.header("ratelimit-reset"), QByteArray("1"));
    const QJsonObject p = r.json();
    // Every key of the recorded 2024 create (and of the sync-mode one) is there.
    QVERIFY(keys(p).contains(
        keys(recordedJson(QStringLiteral("prediction-create-official-model-starting.json")))));
    QVERIFY(keys(p).contains(
        keys(recordedJson(QStringLiteral("prediction-create-prefer-wait-processing-llm.json")))));
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("starting"));
    QCOMPARE(p.value(QStringLiteral("model")).toString(), TextModel);
    QCOMPARE(p.value(QStringLiteral("version")).toString(), expectedVersion);
    QCOMPARE(p.value(QStringLiteral("logs")).toString(), QString());
    QVERIFY(p.value(QStringLiteral("output")).isNull());
    QCOMPARE(p.value(QStringLiteral("data_removed")).toBool(), false);
    const QString id = p.value(QStringLiteral("id")).toString();
    const QJsonObject urls = p.value(QStringLiteral("urls")).toObject();
    QCOMPARE(urls.value(QStringLiteral("get")).toString(),
             m_server->origin() + QStringLiteral("/v1/predictions/") + id);
    QCOMPARE(urls.value(QStringLiteral("cancel")).toString(),
             m_server->origin() + QStringLiteral("/v1/predictions/") + id
                 + QStringLiteral("/cancel"));
    QVERIFY(urls.value(QStringLiteral("stream"))
                .toString()
                .startsWith(m_server->origin() + QStringLiteral("/v1/streams/")));
    QCOMPARE(
        p.value(QStringLiteral("input")).toObject().value(QStringLiteral("max_tokens")).toInt(),
        256);
    QCOMPARE(m_server->stats().predictionsCreated, 1);
}

void TestSandboxPredictions::createEchoesWebhookAndStream()
{
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/predictions"),
                       "{\"version\":\"" + TextModel.toUtf8()
                           + "\",\"input\":{\"prompt\":\"hi\"},\"stream\":true,"
                             "\"webhook\":\"http://127.0.0.1:9/"
                             "hook?job=1\",\"webhook_events_filter\":[\"completed\"]}");
    QCOMPARE(r.status, 201);
    const QJsonObject p = r.json();
    QVERIFY(
        keys(p).contains(keys(recordedJson(QStringLiteral("prediction-create-stream-true.json")))));
    QCOMPARE(p.value(QStringLiteral("stream")).toBool(), true);
    QCOMPARE(p.value(QStringLiteral("webhook")).toString(),
             QStringLiteral("http://127.0.0.1:9/hook?job=1"));
    QCOMPARE(p.value(QStringLiteral("webhook_events_filter")).toArray(),
             QJsonArray{QStringLiteral("completed")});
}

void TestSandboxPredictions::succeededTextPrediction()
{
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":" + textInput() + "}");
    const QString id = r.json().value(QStringLiteral("id")).toString();
    const QJsonObject p = m_client->waitUntilDone(id);
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QVERIFY(keys(p).contains(
        keys(recordedJson(QStringLiteral("prediction-get-succeeded-docs-example.json")))));
    const QJsonObject metrics = p.value(QStringLiteral("metrics")).toObject();
    QVERIFY(metrics.contains(QStringLiteral("predict_time")));
    QVERIFY(metrics.contains(QStringLiteral("total_time")));
    const QString text = joined(p);
    QVERIFY2(text.startsWith(QStringLiteral("[sandbox] ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("TrailLite 2")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("trail runners")), qPrintable(text));
    QVERIFY(!text.contains(QLatin1Char('\n')));
    QVERIFY(p.value(QStringLiteral("output")).toArray().size() > 10); // tokens, not one string
    QVERIFY(p.value(QStringLiteral("logs")).toString().contains(QStringLiteral("Random seed")));
    QVERIFY(p.contains(QStringLiteral("started_at")));
    QVERIFY(p.contains(QStringLiteral("completed_at")));

    // Asking for an image prompt gives a one-paragraph image prompt about the same product.
    const HttpResult r2 =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"Write an image prompt for this concept.\\nProduct "
                       "name: TrailLite 2\\n"
                       "Concept: A runner leaps a mossy creek at dawn.\"}}");
    const QString imagePrompt =
        joined(m_client->waitUntilDone(r2.json().value(QStringLiteral("id")).toString()));
    QVERIFY2(imagePrompt.startsWith(QStringLiteral("[sandbox] ")), qPrintable(imagePrompt));
    QVERIFY2(imagePrompt.contains(QStringLiteral("of TrailLite 2")), qPrintable(imagePrompt));
    QVERIFY2(imagePrompt.contains(QStringLiteral("a runner leaps a mossy creek at dawn")),
             qPrintable(imagePrompt));
    QVERIFY(!imagePrompt.contains(QLatin1Char('\n')));
}

void TestSandboxPredictions::imagePredictionThroughDeployment()
{
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/deployments/brieflow/demo-images/predictions"),
                       "{\"input\":{\"prompt\":\"a shoe\",\"num_outputs\":2}}");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QStringLiteral("deployment")).toString(),
             QStringLiteral("brieflow/demo-images"));
    QVERIFY(!r.json().value(QStringLiteral("urls")).toObject().contains(QStringLiteral("stream")));
    const QString id = r.json().value(QStringLiteral("id")).toString();
    const QJsonObject p = m_client->waitUntilDone(id);
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(p.value(QStringLiteral("model")).toString(), ImageModel);
    const QJsonArray output = p.value(QStringLiteral("output")).toArray();
    QCOMPARE(output.size(), 2);
    const Prediction *internal = m_server->prediction(id);
    QVERIFY(internal);
    for (int i = 0; i < 2; ++i) {
        const QString url = output.at(i).toString();
        QCOMPARE(url, m_server->origin() + QStringLiteral("/files/%1/out-%2.webp").arg(id).arg(i));
        const HttpResult file = m_client->get(url, {}, 5000);
        QCOMPARE(file.status, 200);
        QCOMPARE(file.header("content-type"), QByteArray("image/webp"));
        QCOMPARE(QString::fromLatin1(
                     QCryptographicHash::hash(file.body, QCryptographicHash::Sha256).toHex()),
                 internal->files.at(i).sha256);
    }
}

void TestSandboxPredictions::imageSizesAndFormats_data()
{
    QTest::addColumn<QString>("ratio");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QSize>("size");
    const QStringList formats = {QStringLiteral("webp"), QStringLiteral("jpg"),
                                 QStringLiteral("png")};
    const QList<QPair<QString, QSize>> ratios = {
        {QStringLiteral("1:1"), {64, 64}},  {QStringLiteral("16:9"), {64, 36}},
        {QStringLiteral("21:9"), {64, 27}}, {QStringLiteral("3:2"), {64, 43}},
        {QStringLiteral("2:3"), {43, 64}},  {QStringLiteral("4:5"), {51, 64}},
        {QStringLiteral("5:4"), {64, 51}},  {QStringLiteral("3:4"), {48, 64}},
        {QStringLiteral("4:3"), {64, 48}},  {QStringLiteral("9:16"), {36, 64}},
        {QStringLiteral("9:21"), {27, 64}}};
    for (const auto &ratio : ratios) {
        for (const QString &format : formats)
            QTest::addRow("%s %s", qPrintable(ratio.first), qPrintable(format))
                << ratio.first << format << ratio.second;
    }
}

void TestSandboxPredictions::imageSizesAndFormats()
{
    QFETCH(QString, ratio);
    QFETCH(QString, format);
    QFETCH(QSize, size);
    QCOMPARE(imageSize(ratio, 64), std::optional<QSize>(size));
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions"),
                       "{\"input\":{\"prompt\":\"p\",\"aspect_ratio\":\"" + ratio.toUtf8()
                           + "\",\"output_format\":\"" + format.toUtf8() + "\"}}");
    QCOMPARE(r.status, 201);
    const QJsonObject p = m_client->waitUntilDone(r.json().value(QStringLiteral("id")).toString());
    const QString url = p.value(QStringLiteral("output")).toArray().at(0).toString();
    QVERIFY(url.endsWith(QLatin1Char('.') + format));
    const HttpResult file = m_client->get(url);
    QCOMPARE(file.status, 200);
    QCOMPARE(file.header("content-type"), format == QLatin1String("jpg")
                                              ? QByteArray("image/jpeg")
                                              : QByteArray("image/" + format.toLatin1()));
    const QImage image = QImage::fromData(file.body);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), size);
}

void TestSandboxPredictions::preferWaitZeroLatency()
{
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/predictions"),
                       "{\"version\":\"" + ImageModel.toUtf8()
                           + "\",\"input\":{\"prompt\":\"p\",\"output_format\":\"png\"}}",
                       {{"Prefer", "wait"}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.header("preference-applied"), QByteArray("wait"));
    const QJsonObject p = r.json();
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    // Sync mode returns files as data: URIs, as recorded.
    const QString uri = p.value(QStringLiteral("output")).toArray().at(0).toString();
    QVERIFY(uri.startsWith(QStringLiteral("data:image/png;base64,")));
    const QImage image = QImage::fromData(
        QByteArray::fromBase64(uri.mid(uri.indexOf(QLatin1Char(',')) + 1).toLatin1()));
    QCOMPARE(image.size(), QSize(64, 64));
}

void TestSandboxPredictions::preferWaitLongerThanWait()
{
    m_server->setLatency(QStringLiteral("text"), LatencyDistribution::fixed(0, 3000));
    QElapsedTimer timer;
    timer.start();
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}", {{"Prefer", "wait=1"}});
    QCOMPARE(r.status, 201);
    QVERIFY2(timer.elapsed() >= 900 && timer.elapsed() < 2500,
             qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(r.header("preference-applied"), QByteArray("wait=1"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("processing"));
    // An invalid preference is ignored: an immediate answer without Preference-Applied.
    const HttpResult ignored =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}", {{"Prefer", "wait=61"}});
    QCOMPARE(ignored.status, 201);
    QVERIFY2(ignored.header("preference-applied").isEmpty(),
             ignored.header("preference-applied").constData());
    QCOMPARE(ignored.json().value(QStringLiteral("status")).toString(), QStringLiteral("starting"));
}

void TestSandboxPredictions::preferWaitQuirkReturnsProcessing()
{
    m_server->setQuirks({true, false});
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":" + textInput() + "}", {{"Prefer", "wait=10"}});
    QCOMPARE(r.header("preference-applied"), QByteArray("wait=10"));
    const QJsonObject p = r.json();
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("processing"));
    const QJsonArray output = p.value(QStringLiteral("output")).toArray();
    QCOMPARE(output.last().toString(), QString()); // the recorded final "" token
    QVERIFY(joined(p).startsWith(QStringLiteral("[sandbox]")));
    // The prediction itself has finished: a GET shows it.
    QCOMPARE(
        m_client->get(QStringLiteral("/v1/predictions/") + p.value(QStringLiteral("id")).toString())
            .json()
            .value(QStringLiteral("status"))
            .toString(),
        QStringLiteral("succeeded"));
}

void TestSandboxPredictions::cancelRunning()
{
    m_server->setLatency(QStringLiteral("*"), LatencyDistribution::fixed(0, 60000));
    const QString id =
        m_client
            ->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                   "{\"input\":{\"prompt\":\"hi\"}}")
            .json()
            .value(QStringLiteral("id"))
            .toString();
    QCOMPARE(m_client->waitForStatus(id, QStringLiteral("processing"))
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("processing"));
    const HttpResult r = m_client->post(QStringLiteral("/v1/predictions/%1/cancel").arg(id), {});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("ratelimit-remaining"), QByteArray("2999"));
    const QJsonObject p = r.json();
    QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
    QVERIFY(p.value(QStringLiteral("output")).isNull());
    QVERIFY(p.value(QStringLiteral("logs")).isNull());
    QSet<QString> recorded = keys(recordedJson(QStringLiteral("prediction-cancel-canceled.json")));
    recorded.remove(QStringLiteral("webhook_completed")); // legacy field
    QVERIFY(keys(p).contains(recorded));
    const QJsonObject metrics = p.value(QStringLiteral("metrics")).toObject();
    QVERIFY(metrics.contains(QStringLiteral("predict_time"))
            && metrics.contains(QStringLiteral("total_time")));
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions/") + id)
                 .json()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("canceled"));
    QCOMPARE(m_client->post(QStringLiteral("/v1/predictions/nosuchprediction0000000000/cancel"), {})
                 .status,
             404);
}

void TestSandboxPredictions::cancelFinishedIsUnchanged()
{
    const HttpResult created =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}", {{"Prefer", "wait"}});
    const QJsonObject done = created.json();
    QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const HttpResult r = m_client->post(
        done.value(QStringLiteral("urls")).toObject().value(QStringLiteral("cancel")).toString(),
        {});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(r.json().value(QStringLiteral("output")), done.value(QStringLiteral("output")));
}

void TestSandboxPredictions::cancelAfterBeforeStartAborts()
{
    m_server->setLatency(QStringLiteral("text"), LatencyDistribution::fixed(60000, 0));
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}", {{"Cancel-After", "5s"}});
    QCOMPARE(r.status, 201);
    const QJsonObject p = r.json();
    const auto created = parseTimestampNs(p.value(QStringLiteral("created_at")).toString());
    const auto deadline = parseTimestampNs(p.value(QStringLiteral("deadline")).toString());
    QVERIFY(created && deadline);
    QVERIFY(qAbs(*deadline - *created - 5'000'000'000LL) < 1000);
    m_server->advanceClock(5100);
    const QJsonObject after =
        m_client->get(QStringLiteral("/v1/predictions/") + p.value(QStringLiteral("id")).toString())
            .json();
    QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("aborted"));
    QVERIFY(!after.contains(QStringLiteral("started_at")));
    QVERIFY(after.contains(QStringLiteral("completed_at")));
}

void TestSandboxPredictions::cancelAfterWhileRunningCancels()
{
    m_server->setLatency(QStringLiteral("image"), LatencyDistribution::fixed(0, 60000));
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions"),
                       "{\"input\":{\"prompt\":\"p\"}}", {{"Cancel-After", "1m"}});
    const QString id = r.json().value(QStringLiteral("id")).toString();
    QCOMPARE(m_client->waitForStatus(id, QStringLiteral("processing"))
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("processing"));
    m_server->advanceClock(59000);
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions/") + id)
                 .json()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("processing"));
    m_server->advanceClock(1500);
    const QJsonObject after = m_client->get(QStringLiteral("/v1/predictions/") + id).json();
    QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
    QVERIFY(after.value(QStringLiteral("output")).isNull());
}

void TestSandboxPredictions::cancelAfterGrammar_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<qint64>("ms"); // -1: rejected
    QTest::newRow("30s") << "30s" << qint64(30000);
    QTest::newRow("5m") << "5m" << qint64(300000);
    QTest::newRow("1h30m45s") << "1h30m45s" << qint64(5445000);
    QTest::newRow("2h30m") << "2h30m" << qint64(9000000);
    QTest::newRow("bare seconds") << "90" << qint64(90000);
    QTest::newRow("minimum") << "5" << qint64(5000);
    QTest::newRow("under the minimum") << "4s" << qint64(-1);
    QTest::newRow("garbage") << "soon" << qint64(-1);
    QTest::newRow("wrong order") << "30s5m" << qint64(-1);
}

void TestSandboxPredictions::cancelAfterGrammar()
{
    QFETCH(QString, header);
    QFETCH(qint64, ms);
    const std::optional<qint64> parsed = parseCancelAfterMs(header);
    if (ms >= 5000)
        QCOMPARE(parsed, std::optional<qint64>(ms));
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}", {{"Cancel-After", header.toLatin1()}});
    QCOMPARE(r.status, ms < 0 ? 400 : 201);
    if (ms < 0)
        QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
}

void TestSandboxPredictions::internalModelNameQuirk()
{
    m_server->setQuirks({false, true});
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}");
    QCOMPARE(r.json().value(QStringLiteral("model")).toString(),
             QStringLiteral("replicate-internal/llama-3-8b-instruct-int8-triton"));
    QVERIFY(r.json().value(QStringLiteral("version")).toString().startsWith(QStringLiteral("dp-")));
}

void TestSandboxPredictions::determinism()
{
    // Same input and seed: same words and the same image bytes, on another server too.
    SandboxServer twin(testConfig());
    QVERIFY(twin.start());
    SandboxTestClient twinClient(twin);
    SandboxServer other(testConfig(8));
    QVERIFY(other.start());
    SandboxTestClient otherClient(other);
    const QByteArray text = "{\"input\":" + textInput() + "}";
    const QByteArray image =
        "{\"input\":{\"prompt\":\"a shoe on a trail\",\"output_format\":\"png\"}}";
    const QString textPath = QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions");
    const QString imagePath =
        QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");
    const QList<QPair<QByteArray, QByteArray>> wait = {{"Prefer", "wait"}};

    const QString a = joined(m_client->post(textPath, text, wait).json());
    const QString b = joined(twinClient.post(textPath, text, wait).json());
    const QString again = joined(m_client->post(textPath, text, wait).json());
    QCOMPARE(a, b);
    QCOMPARE(a, again);

    const auto firstFile = [](SandboxServer &server, SandboxTestClient &client, const QString &path,
                              const QByteArray &body) {
        const QString id = client.post(path, body).json().value(QStringLiteral("id")).toString();
        client.waitUntilDone(id);
        return server.prediction(id)->files.value(0).data;
    };
    const QByteArray imageA = firstFile(*m_server, *m_client, imagePath, image);
    const QByteArray imageB = firstFile(twin, twinClient, imagePath, image);
    QVERIFY(!imageA.isEmpty());
    QCOMPARE(imageA, imageB);
    QVERIFY(firstFile(other, otherClient, imagePath, image) != imageA);
    const QByteArray otherPrompt =
        "{\"input\":{\"prompt\":\"a shoe on a road\",\"output_format\":\"png\"}}";
    QVERIFY(firstFile(*m_server, *m_client, imagePath, otherPrompt) != imageA);
}

void TestSandboxPredictions::idsAndTimestamps()
{
    static const QRegularExpression idPattern(QStringLiteral("^[0-9a-z]{26}$"));
    static const QRegularExpression nano(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z$"));
    static const QRegularExpression micro(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"));
    QSet<QString> ids;
    for (int i = 0; i < 5; ++i) {
        const QJsonObject p =
            m_client
                ->post(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions"),
                       "{\"input\":{\"prompt\":\"hi\"}}", {{"Prefer", "wait"}})
                .json();
        const QString id = p.value(QStringLiteral("id")).toString();
        QVERIFY2(idPattern.match(id).hasMatch(), qPrintable(id));
        ids.insert(id);
        QVERIFY(nano.match(p.value(QStringLiteral("created_at")).toString()).hasMatch());
        QVERIFY(micro.match(p.value(QStringLiteral("started_at")).toString()).hasMatch());
        QVERIFY(micro.match(p.value(QStringLiteral("completed_at")).toString()).hasMatch());
    }
    QCOMPARE(ids.size(), 5);
    QCOMPARE(formatTimestampNano(1'713'784'501'040'000'000LL),
             QStringLiteral("2024-04-22T11:15:01.04Z"));
    QCOMPARE(formatTimestampNano(1'713'784'501'000'000'000LL),
             QStringLiteral("2024-04-22T11:15:01Z"));
    QCOMPARE(formatTimestampMicro(1'700'135'176'539'915'000LL),
             QStringLiteral("2023-11-16T11:46:16.539915Z"));
    QCOMPARE(parseTimestampNs(QStringLiteral("2023-08-16T18:57:08.36078514Z")),
             std::optional<qint64>(1'692'212'228'360'785'140LL));
}

QTEST_GUILESS_MAIN(TestSandboxPredictions)
#include "tst_sandboxpredictions.moc"
