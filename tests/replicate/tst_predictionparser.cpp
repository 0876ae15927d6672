// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/replicate/predictionparser.h"
#include "tests/replicate/replicatetestdata.h"

using namespace brieflow;
using namespace brieflow::replicate;
using brieflow::test::replicateData;
using brieflow::test::utc;

Q_DECLARE_METATYPE(brieflow::PredictionStatus)

namespace {

const QByteArray kCorgiInput =
    R"({"height":512,"prompt":"a studio photo of a rainbow colored corgi","seed":42069,"width":512})";

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}

QByteArray withOutput(const QByteArray &output)
{
    return R"({"id":"x","status":"succeeded","output":)" + output + '}';
}

} // namespace

class TestPredictionParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesRecordedPredictions_data();
    void parsesRecordedPredictions();
    void syncCreateAnsweredProcessingIsNotFinished();
    void keepsTheBodyAndLastDuplicateKey();
    void parsesTheRecordedListPage();
    void parsesSyntheticPages();
    void timestamps_data();
    void timestamps();
    void outputShapes_data();
    void outputShapes();
    void errorShapes_data();
    void errorShapes();
    void malformedBodies_data();
    void malformedBodies();
    void parsesAccountAndWebhookSecret();
};

void TestPredictionParser::parsesRecordedPredictions_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("id");
    QTest::addColumn<PredictionStatus>("status");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QDateTime>("createdAt");
    QTest::addColumn<QDateTime>("startedAt");
    QTest::addColumn<QDateTime>("completedAt");
    QTest::addColumn<QString>("outputText");
    QTest::addColumn<int>("fileCount");
    QTest::addColumn<QString>("firstFilePrefix");
    QTest::addColumn<QString>("error");
    QTest::addColumn<double>("predictTime"); // -1: none
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("hasStreamUrl");

    using S = PredictionStatus;
    const QDateTime none;
    QTest::newRow("create by version: starting, 8 fraction digits")
        << "prediction-create-version-starting.json"
        << "vgcm4plb7tgzlyznry5d5jkgvu" << S::Starting << "stability-ai/sdxl"
        << utc(2023, 8, 16, 18, 57, 8, 360) << none << none << QString() << 0 << QString()
        << QString() << -1.0 << kCorgiInput << false;
    QTest::newRow("create official model: internal model name, 2 digits")
        << "prediction-create-official-model-starting.json"
        << "cjt2hahk61rgp0cf0p2arcdp9r" << S::Starting
        << "replicate-internal/llama-3-8b-instruct-int8-triton" << utc(2024, 4, 22, 11, 15, 1, 40)
        << none << none << QString() << 0 << QString() << QString() << -1.0
        << QByteArray(R"({"prompt":"write a haiku about llamas"})") << false;
    QTest::newRow("create official llama2: d- version")
        << "prediction-create-official-model-llama2-starting.json"
        << "heat2o3bzn3ahtr6bjfftvbaci" << S::Starting << "replicate/lifeboat-70b"
        << utc(2023, 11, 27, 13, 35, 45, 993) << none << none << QString() << 0 << QString()
        << QString() << -1.0 << QByteArray(R"({"prompt":"Please write a haiku about llamas."})")
        << false;
    QTest::newRow("create stream:true has a stream url, 9 digits")
        << "prediction-create-stream-true.json"
        << "4awn473bsrztjzlx2b6ufoxkkm" << S::Starting << "stability-ai/sdxl"
        << utc(2023, 10, 29, 11, 19, 59, 558) << none << none << QString() << 0 << QString()
        << QString() << -1.0 << QByteArray(R"({"prompt":"write a sonnet about camelids"})") << true;
    QTest::newRow("sync create: processing with a token list")
        << "prediction-create-prefer-wait-processing-llm.json"
        << "jp9nrd1g2hrj20cjb2vrb55mkr" << S::Processing << "meta/meta-llama-3-8b-instruct"
        << utc(2024, 10, 4, 18, 7, 33, 396) << none << none
        << QStringLiteral(
               "\n\nFuzzy, gentle beasts\nSoftly grazing, quiet eyes\nLlama's gentle charm")
        << 0 << QString() << QString() << -1.0
        << QByteArray(R"({"prompt":"Please write a haiku about llamas"})") << true;
    QTest::newRow("sync create wait=10: processing with a token list")
        << "prediction-create-prefer-wait10-processing-llm.json"
        << "pw050dtb51rj40cjb2vrcw97b8" << S::Processing << "meta/meta-llama-3-8b-instruct"
        << utc(2024, 10, 4, 18, 7, 40, 328) << none << none
        << QStringLiteral("\n\nHere is a haiku about llamas:\n\nFuzzy, gentle eyes\nSoftly "
                          "munching on the grass\nPeaceful, quiet soul")
        << 0 << QString() << QString() << -1.0
        << QByteArray(R"({"prompt":"Please write a haiku about llamas"})") << true;
    QTest::newRow("sync create: a data: URI image")
        << "prediction-create-prefer-wait-dataurl-output.json"
        << "14m2dc50wnrgp0cjb2ybv46db4" << S::Processing << "stability-ai/sdxl"
        << utc(2024, 10, 4, 18, 13, 29, 957) << none << none << QString() << 1
        << "data:image/png;base64,iVBORw0KGgo" << QString() << -1.0 << kCorgiInput << true;
    QTest::newRow("deployment create: null logs, empty metrics")
        << "prediction-deployment-create-starting.json"
        << "mfrgcyzzme2wkmbwgzrgmntcg" << S::Starting << "replicate/hello-world"
        << utc(2022, 9, 10, 9, 44, 22, 165) << none << none << QString() << 0 << QString()
        << QString() << -1.0 << QByteArray(R"({"text":"Alice"})") << false;
    QTest::newRow("get starting (duplicate model key)")
        << "prediction-get-starting.json"
        << "d2sc6elbgccjryvjegi2pchpeu" << S::Starting << "stability-ai/sdxl"
        << utc(2023, 11, 16, 11, 47, 22, 728) << none << none << QString() << 0 << QString()
        << QString() << -1.0
        << QByteArray(R"({"prompt":"A chariot pulled by a team of eight rainbow unicorns"})")
        << false;
    QTest::newRow("get processing, 4 fraction digits")
        << "prediction-get-processing-no-logs.json"
        << "azaq55dbukgxg6kubr4k6g3pby" << S::Processing << "stability-ai/sdxl"
        << utc(2023, 11, 16, 11, 46, 16, 64) << utc(2023, 11, 16, 11, 46, 16, 539) << none
        << QString() << 0 << QString() << QString() << -1.0 << kCorgiInput << false;
    QTest::newRow("get processing with logs")
        << "prediction-get-processing-with-logs.json"
        << "azaq55dbukgxg6kubr4k6g3pby" << S::Processing << "stability-ai/sdxl"
        << utc(2023, 11, 16, 11, 46, 16, 64) << utc(2023, 11, 16, 11, 46, 16, 539) << none
        << QString() << 0 << QString() << QString() << -1.0 << kCorgiInput << false;
    QTest::newRow("get succeeded: list of delivery URLs")
        << "prediction-get-succeeded-file-output.json"
        << "azaq55dbukgxg6kubr4k6g3pby" << S::Succeeded << "stability-ai/sdxl"
        << utc(2023, 11, 16, 11, 46, 16, 64) << utc(2023, 11, 16, 11, 46, 16, 539)
        << utc(2023, 11, 16, 11, 46, 22, 64) << QString() << 1
        << "https://replicate.delivery/pbxt/gDoc64M9" << QString() << 5.524512 << kCorgiInput
        << false;
    QTest::newRow("get succeeded sdxl: no model field, legacy webhook_completed")
        << "prediction-get-succeeded-sdxl.json"
        << "vgcm4plb7tgzlyznry5d5jkgvu" << S::Succeeded << "" << utc(2023, 8, 16, 18, 57, 8, 394)
        << utc(2023, 8, 16, 18, 57, 8, 366) << utc(2023, 8, 16, 18, 57, 12, 170) << QString() << 1
        << "https://replicate.delivery/pbxt/9inf36" << QString() << 3.804328 << kCorgiInput
        << false;
    QTest::newRow("get succeeded: old replicate.com file host")
        << "prediction-get-succeeded-js.json"
        << "rrr4z55ocneqzikepnug6xezpe" << S::Succeeded << "stability-ai/stable-diffusion"
        << utc(2022, 9, 13, 22, 54, 18, 578) << utc(2022, 9, 13, 22, 54, 19, 438)
        << utc(2022, 9, 13, 22, 54, 23, 236) << QString() << 1
        << "https://replicate.com/api/models/" << QString() << 4.484541
        << QByteArray(R"({"prompt":"oak tree with boletus growing on its branches"})") << false;
    QTest::newRow("get succeeded docs example: a plain string output")
        << "prediction-get-succeeded-docs-example.json"
        << "gm3qorzdhgbfurvjtvhg6dckhu" << S::Succeeded << "replicate/hello-world"
        << utc(2023, 9, 8, 16, 19, 34, 765) << utc(2023, 9, 8, 16, 19, 34, 779)
        << utc(2023, 9, 8, 16, 19, 34, 791) << QStringLiteral("hello Alice") << 0 << QString()
        << QString() << 0.012683 << QByteArray(R"({"text":"Alice"})") << false;
    QTest::newRow("get failed: error string")
        << "prediction-get-failed.json"
        << "p1" << S::Failed << "test/example" << utc(2023, 10, 5, 12, 0, 0) << none << none
        << QString() << 0 << QString() << QStringLiteral("OOM") << -1.0
        << QByteArray(R"({"text":"world"})") << false;
    QTest::newRow("cancel: canceled, null logs")
        << "prediction-cancel-canceled.json"
        << "hdwst0bb05rgp0cf0p29mzk2am" << S::Canceled << "stability-ai/sdxl"
        << utc(2024, 4, 22, 11, 15, 15, 329) << utc(2024, 4, 22, 11, 15, 15, 375)
        << utc(2024, 4, 22, 11, 15, 15, 504) << QString() << 0 << QString() << QString() << 0.128148
        << kCorgiInput << false;
    QTest::newRow("cancel immediately: predict_time 3e-06")
        << "prediction-cancel-canceled-immediately.json"
        << "vrsafsk7mnrgj0cf0p2ax766s4" << S::Canceled << "stability-ai/sdxl"
        << utc(2024, 4, 22, 11, 15, 14, 469) << utc(2024, 4, 22, 11, 15, 14, 604)
        << utc(2024, 4, 22, 11, 15, 14, 604) << QString() << 0 << QString() << QString() << 3e-06
        << kCorgiInput << false;
}

void TestPredictionParser::parsesRecordedPredictions()
{
    QFETCH(QString, file);
    QFETCH(QString, id);
    QFETCH(PredictionStatus, status);
    QFETCH(QString, model);
    QFETCH(QDateTime, createdAt);
    QFETCH(QDateTime, startedAt);
    QFETCH(QDateTime, completedAt);
    QFETCH(QString, outputText);
    QFETCH(int, fileCount);
    QFETCH(QString, firstFilePrefix);
    QFETCH(QString, error);
    QFETCH(double, predictTime);
    QFETCH(QByteArray, input);
    QFETCH(bool, hasStreamUrl);

    const QByteArray body = replicateData(file);
    QVERIFY(!body.isEmpty());
    const auto parsed = parsePrediction(body);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().describe()));
    const Prediction &p = *parsed;
    QCOMPARE(p.id, id);
    QCOMPARE(toString(p.status), toString(status));
    QCOMPARE(p.model, model);
    QCOMPARE(p.createdAt, createdAt);
    QCOMPARE(p.startedAt, startedAt);
    QCOMPARE(p.completedAt, completedAt);
    QCOMPARE(p.outputText, outputText);
    QCOMPARE(p.outputFiles.size(), fileCount);
    if (fileCount > 0)
        QVERIFY2(p.outputFiles.first().startsWith(firstFilePrefix),
                 qPrintable(p.outputFiles.first().left(60)));
    QCOMPARE(p.hasOutput, !outputText.isEmpty() || fileCount > 0);
    QCOMPARE(p.error, error);
    if (predictTime < 0)
        QVERIFY(!p.predictTime);
    else
        QCOMPARE(p.predictTime.value_or(-1), predictTime);
    QCOMPARE(p.canonicalInput, input);
    QCOMPARE(p.streamUrl.isValid(), hasStreamUrl);
    QVERIFY(p.getUrl.isValid());
    // (The deployment fixture, synthetic, has another id in its URLs; only the shape is checked.)
    QVERIFY(p.getUrl.path().startsWith(QStringLiteral("/v1/predictions/")));
    QVERIFY(p.cancelUrl.path().endsWith(QStringLiteral("/cancel")));
    QCOMPARE(p.raw, body);
}

void TestPredictionParser::syncCreateAnsweredProcessingIsNotFinished()
{
    // Replicate answers a sync create with "processing" and what looks like the whole output.
    const auto parsed = parsePrediction(
        replicateData(QStringLiteral("prediction-create-prefer-wait-processing-llm.json")));
    QVERIFY(parsed);
    QVERIFY(parsed->hasOutput);
    QVERIFY(!isTerminal(parsed->status));
    QVERIFY(!parsed->dataRemoved);
    QVERIFY(parsed->webUrl.isEmpty());

    const auto canceled = parsePrediction(
        replicateData(QStringLiteral("prediction-cancel-canceled-immediately.json")));
    QVERIFY(canceled);
    QCOMPARE(canceled->totalTime.value_or(-1), 0.135578);
    QVERIFY(canceled->logs.isEmpty());
    QVERIFY(!canceled->hasOutput);

    const auto docs = parsePrediction(
        replicateData(QStringLiteral("prediction-get-succeeded-docs-example.json")));
    QVERIFY(docs);
    QCOMPARE(docs->source, QStringLiteral("api"));
    QCOMPARE(docs->webUrl,
             QUrl(QStringLiteral("https://replicate.com/p/gm3qorzdhgbfurvjtvhg6dckhu")));
    QCOMPARE(docs->outputJson, QByteArray(R"("hello Alice")"));
}

void TestPredictionParser::keepsTheBodyAndLastDuplicateKey()
{
    const QByteArray body =
        R"({"id":"a","status":"starting","model":"first/one","model":"second/two",
        "future_field":{"x":[1,2]},"deadline":"2026-01-01T00:01:30Z","data_removed":true})";
    const auto parsed = parsePrediction(body);
    QVERIFY(parsed);
    QCOMPARE(parsed->model, QStringLiteral("second/two"));
    QCOMPARE(parsed->deadline, utc(2026, 1, 1, 0, 1, 30));
    QVERIFY(parsed->dataRemoved);
    QCOMPARE(parsed->raw, body);
}

void TestPredictionParser::parsesTheRecordedListPage()
{
    const auto page =
        parsePredictionPage(replicateData(QStringLiteral("predictions-list-page.json")));
    QVERIFY(page);
    QCOMPARE(page->predictions.size(), 1);
    QCOMPARE(page->next,
             QUrl(QStringLiteral("https://api.replicate.com/v1/predictions?cursor="
                                 "cD0yMDIyLTAxLTIxKzIzJTNBMTglM0EyNC41MzAzNTclMkIwMCUzQTAw")));
    QVERIFY(page->previous.isEmpty());
    const Prediction &p = page->predictions.first();
    QCOMPARE(p.id, QStringLiteral("jpzd7hm5gfcapbfyt4mqytarku"));
    QCOMPARE(toString(p.status), toString(PredictionStatus::Succeeded));
    QCOMPARE(p.source, QStringLiteral("web"));
    QCOMPARE(p.createdAt, utc(2022, 4, 26, 20, 0, 40, 658));
    QVERIFY(!p.startedAt.isValid()); // "20:00:84.583803Z": second 84
    QCOMPARE(p.completedAt, utc(2022, 4, 26, 20, 2, 27, 648));
    QVERIFY(!p.hasOutput);
    QVERIFY(p.canonicalInput.isEmpty());
    QVERIFY(p.raw.contains("jpzd7hm5gfcapbfyt4mqytarku"));
}

void TestPredictionParser::parsesSyntheticPages()
{
    const auto first =
        parsePredictionPage(replicateData(QStringLiteral("synthetic-predictions-list-page1.json")));
    QVERIFY(first);
    QCOMPARE(first->predictions.size(), 2);
    QCOMPARE(first->next.query(), QStringLiteral("cursor=cD0yMDI2LTAxLTAx"));
    const auto last =
        parsePredictionPage(replicateData(QStringLiteral("synthetic-predictions-list-page3.json")));
    QVERIFY(last);
    QVERIFY(last->next.isEmpty());
    QCOMPARE(toString(last->predictions.first().status), toString(PredictionStatus::Aborted));
    QCOMPARE(last->predictions.first().createdAt, utc(2026, 1, 1, 10, 0, 0, 123));
}

void TestPredictionParser::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime invalid;
    QTest::newRow("0 digits") << "2023-08-16T18:57:08Z" << utc(2023, 8, 16, 18, 57, 8);
    QTest::newRow("1 digit") << "2023-08-16T18:57:08.5Z" << utc(2023, 8, 16, 18, 57, 8, 500);
    QTest::newRow("2 digits") << "2024-04-22T11:15:01.04Z" << utc(2024, 4, 22, 11, 15, 1, 40);
    QTest::newRow("3 digits") << "2024-04-22T11:15:15.329Z" << utc(2024, 4, 22, 11, 15, 15, 329);
    QTest::newRow("4 digits") << "2023-11-16T11:46:16.0649Z" << utc(2023, 11, 16, 11, 46, 16, 64);
    QTest::newRow("5 digits") << "2023-11-16T11:46:16.06499Z" << utc(2023, 11, 16, 11, 46, 16, 64);
    QTest::newRow("6 digits") << "2023-09-08T16:19:34.765994Z" << utc(2023, 9, 8, 16, 19, 34, 765);
    QTest::newRow("7 digits") << "2023-09-08T16:19:34.7659941Z" << utc(2023, 9, 8, 16, 19, 34, 765);
    QTest::newRow("8 digits") << "2023-08-16T18:57:08.36078514Z"
                              << utc(2023, 8, 16, 18, 57, 8, 360);
    QTest::newRow("9 digits") << "2023-08-16T19:33:26.678378653Z"
                              << utc(2023, 8, 16, 19, 33, 26, 678);
    QTest::newRow("offset +02:00") << "2024-01-01T02:30:00+02:00" << utc(2024, 1, 1, 0, 30, 0);
    QTest::newRow("offset -0530") << "2024-01-01T00:00:00.1-0530" << utc(2024, 1, 1, 5, 30, 0, 100);
    QTest::newRow("no offset is UTC") << "2024-01-01T00:00:00" << utc(2024, 1, 1, 0, 0, 0);
    QTest::newRow("space separator")
        << "2022-01-21 23:18:24.530357+00:00" << utc(2022, 1, 21, 23, 18, 24, 530);
    QTest::newRow("second 84") << "2022-04-26T20:00:84.583803Z" << invalid;
    QTest::newRow("month 13") << "2022-13-01T00:00:00Z" << invalid;
    QTest::newRow("February 30") << "2023-02-30T00:00:00Z" << invalid;
    QTest::newRow("hour 24") << "2023-02-03T24:00:00Z" << invalid;
    QTest::newRow("10 fraction digits") << "2023-08-16T18:57:08.1234567890Z" << invalid;
    QTest::newRow("empty fraction") << "2023-08-16T18:57:08.Z" << invalid;
    QTest::newRow("empty") << "" << invalid;
    QTest::newRow("date only") << "2023-08-16" << invalid;
    QTest::newRow("no seconds") << "2023-08-16T18:57Z" << invalid;
    QTest::newRow("trailing junk") << "2023-08-16T18:57:08Zjunk" << invalid;
    QTest::newRow("comma fraction") << "2023-08-16T18:57:08,5Z" << invalid;
    QTest::newRow("words") << "yesterday" << invalid;
    QTest::newRow("arabic digits")
        << QStringLiteral("\u0662\u0660\u0662\u0663-08-16T18:57:08Z") << invalid;
    QTest::newRow("offset hour 25") << "2024-01-01T00:00:00+25:00" << invalid;
}

void TestPredictionParser::timestamps()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = parseTimestamp(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }
    // The same text inside a prediction never fails the parse.
    const QByteArray body =
        R"({"id":"t","status":"starting","created_at":")" + text.toUtf8() + "\"}";
    const auto prediction = parsePrediction(body);
    QVERIFY(prediction);
    QCOMPARE(prediction->createdAt.isValid(), expected.isValid());
}

void TestPredictionParser::outputShapes_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("hasOutput");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("null") << QByteArray("null") << false << QString() << QStringList()
                          << QByteArray();
    QTest::newRow("string") << QByteArray(R"("hello")") << true << "hello" << QStringList()
                            << QByteArray(R"("hello")");
    QTest::newRow("single URL") << QByteArray(R"("https://replicate.delivery/a/out.png")") << true
                                << QString() << strings({"https://replicate.delivery/a/out.png"})
                                << QByteArray(R"("https://replicate.delivery/a/out.png")");
    QTest::newRow("single data URI")
        << QByteArray(R"("data:image/png;base64,AAAA")") << true << QString()
        << strings({"data:image/png;base64,AAAA"}) << QByteArray(R"("data:image/png;base64,AAAA")");
    QTest::newRow("token list joined")
        << QByteArray(R"(["Hel","lo",", ","world",""])") << true << "Hello, world" << QStringList()
        << QByteArray(R"(["Hel","lo",", ","world",""])");
    QTest::newRow("URL list") << QByteArray(R"(["https://a.test/0.png","http://b.test/1.webp"])")
                              << true << QString()
                              << strings({"https://a.test/0.png", "http://b.test/1.webp"})
                              << QByteArray(R"(["https://a.test/0.png","http://b.test/1.webp"])");
    QTest::newRow("text mentioning a URL is text")
        << QByteArray(R"(["See ","https://a.test"])") << true << "See https://a.test"
        << QStringList() << QByteArray(R"(["See ","https://a.test"])");
    QTest::newRow("sentence starting with a URL is text")
        << QByteArray(R"("https://a.test is nice")") << true << "https://a.test is nice"
        << QStringList() << QByteArray(R"("https://a.test is nice")");
    QTest::newRow("empty list") << QByteArray("[]") << true << QString() << QStringList()
                                << QByteArray("[]");
    QTest::newRow("object") << QByteArray(R"({"b":1,"a":[true,null]})") << true
                            << R"({"a":[true,null],"b":1})" << QStringList()
                            << QByteArray(R"({"a":[true,null],"b":1})");
    QTest::newRow("number") << QByteArray("0.5") << true << "0.5" << QStringList()
                            << QByteArray("0.5");
    QTest::newRow("nested list") << QByteArray(R"([["a"],["b"]])") << true << R"([["a"],["b"]])"
                                 << QStringList() << QByteArray(R"([["a"],["b"]])");
    QTest::newRow("unicode tokens") << QByteArray(R"(["caf","\u00e9 \ud83d\ude00"])") << true
                                    << QStringLiteral("caf\u00e9 \U0001F600") << QStringList()
                                    << QByteArray("[\"caf\",\"\xc3\xa9 \xf0\x9f\x98\x80\"]");
}

void TestPredictionParser::outputShapes()
{
    QFETCH(QByteArray, output);
    QFETCH(bool, hasOutput);
    QFETCH(QString, text);
    QFETCH(QStringList, files);
    QFETCH(QByteArray, json);
    const auto parsed = parsePrediction(withOutput(output));
    QVERIFY(parsed);
    QCOMPARE(parsed->hasOutput, hasOutput);
    QCOMPARE(parsed->outputText, text);
    QCOMPARE(parsed->outputFiles, files);
    QCOMPARE(parsed->outputJson, json);
}

void TestPredictionParser::errorShapes_data()
{
    QTest::addColumn<QByteArray>("error");
    QTest::addColumn<QString>("text");
    QTest::newRow("null") << QByteArray("null") << QString();
    QTest::newRow("string") << QByteArray(R"("CUDA out of memory")") << "CUDA out of memory";
    QTest::newRow("object with detail")
        << QByteArray(R"({"detail":"Prediction failed"})") << "Prediction failed";
    QTest::newRow("object with message") << QByteArray(R"({"message":"boom","code":7})") << "boom";
    QTest::newRow("other object as JSON") << QByteArray(R"({"code":7})") << R"({"code":7})";
    QTest::newRow("number") << QByteArray("42") << "42";
}

void TestPredictionParser::errorShapes()
{
    QFETCH(QByteArray, error);
    QFETCH(QString, text);
    const auto parsed = parsePrediction(R"({"id":"e","status":"failed","error":)" + error + '}');
    QVERIFY(parsed);
    QCOMPARE(parsed->error, text);
}

void TestPredictionParser::malformedBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("<html>502 Bad Gateway</html>");
    QTest::newRow("truncated") << QByteArray(R"({"id":"a","status":"star)");
    QTest::newRow("array") << QByteArray(R"([{"id":"a","status":"starting"}])");
    QTest::newRow("no id") << QByteArray(R"({"status":"starting"})");
    QTest::newRow("id not a string") << QByteArray(R"({"id":7,"status":"starting"})");
    QTest::newRow("no status") << QByteArray(R"({"id":"a"})");
    QTest::newRow("unknown status") << QByteArray(R"({"id":"a","status":"queued"})");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"id\":\"a\xff\",\"status\":\"starting\"}");
}

void TestPredictionParser::malformedBodies()
{
    QFETCH(QByteArray, body);
    const auto parsed = parsePrediction(body);
    QVERIFY(!parsed);
    QCOMPARE(toString(parsed.error().kind), toString(ProviderError::Kind::MalformedResponse));
    QCOMPARE(parsed.error().rawBody, body);
    QVERIFY(!parsed.error().detail.isEmpty());

    if (body.isEmpty())
        return; // "[]" is a fine, empty page
    const auto page = parsePredictionPage(R"({"next":null,"results":[)" + body + "]}");
    QVERIFY(!page);
    QCOMPARE(toString(page.error().kind), toString(ProviderError::Kind::MalformedResponse));
}

void TestPredictionParser::parsesAccountAndWebhookSecret()
{
    const auto account = parseAccount(replicateData(QStringLiteral("account-get.json")));
    QVERIFY(account);
    QCOMPARE(account->type, QStringLiteral("organization"));
    QCOMPARE(account->username, QStringLiteral("replicate"));
    QCOMPARE(account->name, QStringLiteral("Replicate"));
    QVERIFY(!parseAccount("{}"));

    const auto secret =
        parseWebhookSecret(replicateData(QStringLiteral("webhook-default-secret.json")));
    QVERIFY(secret);
    QCOMPARE(*secret, QStringLiteral("whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH"));
    QVERIFY(!parseWebhookSecret(R"({"key":""})"));
    QVERIFY(!parseWebhookSecret("nope"));
}

QTEST_GUILESS_MAIN(TestPredictionParser)
#include "tst_predictionparser.moc"
