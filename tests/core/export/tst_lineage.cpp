// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// lineageForOutput() on a real store (tests/core/export/exportfixture.h), the sidecar JSON and
// its strict reader.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/export/lineage.h"
#include "core/version.h"
#include "tests/core/export/exportfixture.h"

using namespace brieflow;
using brieflow::test::ExportFixture;

namespace {

/** The error of a failed Result for QVERIFY2 (its message is evaluated even on success). */
template<typename R>
const char *problem(const R &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().toUtf8();
    return text.constData();
}

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs).toUTC();
}

/** The lineage JSON of @p lineage as a QJsonObject to break one field at a time. */
QJsonObject asObject(const ImageLineage &lineage)
{
    return QJsonDocument::fromJson(lineageToJson(lineage)).object();
}

QByteArray bytesOf(const QJsonObject &object)
{
    return QJsonDocument(object).toJson();
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    object.insert(key, value);
    return object;
}

QJsonObject without(QJsonObject object, const QString &key)
{
    object.remove(key);
    return object;
}

/** @p object with models[@p index].@p key set to @p value (undefined removes it). */
QJsonObject withModel(QJsonObject object, int index, const QString &key, const QJsonValue &value)
{
    QJsonArray models = object.value(QStringLiteral("models")).toArray();
    QJsonObject model = models.at(index).toObject();
    if (value.isUndefined())
        model.remove(key);
    else
        model.insert(key, value);
    models.replace(index, model);
    object.insert(QStringLiteral("models"), models);
    return object;
}

QJsonObject withNested(QJsonObject object, const QString &outer, const QString &key,
                       const QJsonValue &value)
{
    QJsonObject inner = object.value(outer).toObject();
    if (value.isUndefined())
        inner.remove(key);
    else
        inner.insert(key, value);
    object.insert(outer, inner);
    return object;
}

} // namespace

class TestLineage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<ExportFixture>(4);
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
    }

    void lineageOfAPngWithTheSeedInItsLogs()
    {
        const auto &job = m_fixture->jobs().at(0);
        const OutputRecord &second = job.images.at(1);
        const auto lineage = lineageForOutput(m_fixture->store(), second.id);
        QVERIFY2(lineage, problem(lineage));

        QCOMPARE(lineage->jobId, job.id);
        QCOMPARE(lineage->outputId, second.id);
        QCOMPARE(lineage->index, 2);
        QCOMPARE(lineage->count, 2);
        QCOMPARE(lineage->brief.productName, QStringLiteral("Café Ñandú"));
        QCOMPARE(lineage->brief.image.outputFormat, QStringLiteral("png"));
        QCOMPARE(lineage->brief, job.brief);
        QVERIFY(
            lineage->conceptText.startsWith(QStringLiteral("Headline: Mañana starts colder\n")));
        QCOMPARE(lineage->conceptText, job.conceptText);
        QVERIFY(lineage->imagePrompt.startsWith(QStringLiteral("A terracotta can of Café Ñandú")));
        QCOMPARE(lineage->seed, std::optional<qint64>(12345));
        QCOMPARE(lineage->sha256, second.sha256);
        QCOMPARE(lineage->mime, QStringLiteral("image/png"));
        QCOMPARE(lineage->width, 512);
        QCOMPARE(lineage->height, 512);
        QCOMPARE(lineage->imageCreatedAt, second.createdAt);
        QVERIFY(lineage->jobCreatedAt.isValid());
        QCOMPARE(lineage->generator, QStringLiteral("Brieflow ") + applicationVersion());
        QCOMPARE(lineage->imageModel(), QStringLiteral("black-forest-labs/flux-schnell"));

        QCOMPARE(lineage->models.size(), 3);
        const ModelUse &conceptUse = lineage->models.at(0);
        QCOMPARE(conceptUse.step, QStringLiteral("concept"));
        QCOMPARE(conceptUse.modelRef, QStringLiteral("meta/meta-llama-3-8b-instruct"));
        QCOMPARE(conceptUse.version, QStringLiteral("dp-a557b7387b4940df25b23f779dc534c4"));
        QCOMPARE(conceptUse.predictionId, job.conceptPredictionId);
        QCOMPARE(conceptUse.attempts, 1);
        QCOMPARE(conceptUse.createdAt, utc("2026-03-02T09:30:00.000Z"));
        QCOMPARE(conceptUse.startedAt, utc("2026-03-02T09:30:00.040Z"));
        QCOMPARE(conceptUse.completedAt, utc("2026-03-02T09:30:01.844Z"));
        QCOMPARE(conceptUse.predictTimeSeconds, std::optional<double>(1.804211));

        const ModelUse &prompt = lineage->models.at(1);
        QCOMPARE(prompt.step, QStringLiteral("image_prompt"));
        QCOMPARE(prompt.createdAt, utc("2026-03-02T09:30:05.000Z"));
        QCOMPARE(prompt.predictTimeSeconds, std::optional<double>(0.977402));

        const ModelUse &image = lineage->models.at(2);
        QCOMPARE(image.step, QStringLiteral("image"));
        QCOMPARE(image.modelRef, QStringLiteral("black-forest-labs/flux-schnell"));
        QCOMPARE(image.version, QStringLiteral("dp-4d0bcc010b3049749a251855f12800be"));
        QCOMPARE(image.predictionId, job.imagePredictionId);
        QCOMPARE(image.predictionId.size(), 26);
        QCOMPARE(image.attempts, 1);
        // Provider times carry microseconds ("…10.250901Z"): kept to the millisecond.
        QCOMPARE(image.createdAt, utc("2026-03-02T09:30:10.250Z"));
        QCOMPARE(image.startedAt, utc("2026-03-02T09:30:10.730Z"));
        QCOMPARE(image.completedAt, utc("2026-03-02T09:30:11.618Z"));
        QCOMPARE(image.predictTimeSeconds, std::optional<double>(0.873214));

        const auto first = lineageForOutput(m_fixture->store(), job.images.at(0).id);
        QVERIFY2(first, problem(first));
        QCOMPARE(first->index, 1);
        QCOMPARE(first->count, 2);
        QCOMPARE(first->models, lineage->models);
        QVERIFY(first->sha256 != lineage->sha256);
    }

    void lastSucceededAttemptCounts()
    {
        const auto &job = m_fixture->jobs().at(1);
        const auto lineage = lineageForOutput(m_fixture->store(), job.images.at(0).id);
        QVERIFY2(lineage, problem(lineage));
        QCOMPARE(lineage->brief.productName, QStringLiteral("Sunrise Tea ☀️🍵"));
        QCOMPARE(lineage->index, 1);
        QCOMPARE(lineage->count, 1);
        QCOMPARE(lineage->mime, QStringLiteral("image/jpeg"));
        QCOMPARE(lineage->width, 1024);
        QCOMPARE(lineage->height, 576);
        const ModelUse &image = lineage->models.at(2);
        QCOMPARE(image.attempts, 2);
        QCOMPARE(image.predictionId, job.imagePredictionId);
        // The failed first attempt logged another seed; the succeeded one's counts.
        QCOMPARE(lineage->seed, std::optional<qint64>(987654321));
        QCOMPARE(image.createdAt, utc("2026-03-02T10:30:40.250Z"));
        QCOMPARE(image.predictTimeSeconds, std::optional<double>(1.412905));
    }

    void seedFromTheImageInput()
    {
        const auto &job = m_fixture->jobs().at(2);
        QVERIFY(job.seedInInput);
        const auto lineage = lineageForOutput(m_fixture->store(), job.images.at(0).id);
        QVERIFY2(lineage, problem(lineage));
        QCOMPARE(lineage->seed, std::optional<qint64>(4242));
        QCOMPARE(lineage->brief.productName, QStringLiteral("抹茶ラテ「緑の朝」"));
        QVERIFY(lineage->conceptText.contains(QStringLiteral("緑の朝を、ひと口で。")));
        QCOMPARE(lineage->mime, QStringLiteral("image/webp"));

        // The input's seed wins over the logs: change the input and the lineage follows it.
        auto steps = m_fixture->store().steps(job.id);
        QVERIFY(steps);
        StepRecord image = steps->at(2);
        const QByteArray before = image.inputPayload;
        QJsonObject input = QJsonDocument::fromJson(before).object();
        input.insert(QStringLiteral("seed"), 31337);
        image.inputPayload = QJsonDocument(input).toJson(QJsonDocument::Compact);
        QVERIFY(m_fixture->store().updateStep(image));
        const auto changed = lineageForOutput(m_fixture->store(), job.images.at(0).id);
        image.inputPayload = before;
        QVERIFY(m_fixture->store().updateStep(image));
        QVERIFY2(changed, problem(changed));
        QCOMPARE(changed->seed, std::optional<qint64>(31337));
    }

    void threeImagesInStepOrder()
    {
        const auto &job = m_fixture->jobs().at(3);
        for (int i = 0; i < 3; ++i) {
            const auto lineage = lineageForOutput(m_fixture->store(), job.images.at(i).id);
            QVERIFY2(lineage, problem(lineage));
            QCOMPARE(lineage->index, i + 1);
            QCOMPARE(lineage->count, 3);
            QCOMPARE(lineage->seed, std::optional<qint64>(7));
            QCOMPARE(lineage->brief.productName, QStringLiteral("Bolt & <Co> \"Volt\""));
        }
    }

    void errors()
    {
        const auto missing = lineageForOutput(m_fixture->store(), OutputId::generate());
        QVERIFY(!missing);
        QVERIFY2(missing.error().contains(QStringLiteral("no stored image")), problem(missing));

        // A job whose payload isn't a brief (e.g. written by another tool).
        NewJob foreign{QStringLiteral("campaign_asset"),
                       QByteArrayLiteral("{\"url\":\"x\"}"),
                       {QStringLiteral("image")}};
        const auto job = m_fixture->store().createJob(foreign);
        QVERIFY(job);
        OutputRecord output;
        output.jobId = job->id;
        output.kind = QStringLiteral("image");
        output.filePath = m_fixture->jobs().at(0).images.at(0).filePath;
        output.sha256 = m_fixture->jobs().at(0).images.at(0).sha256;
        output.mime = QStringLiteral("image/png");
        const auto added = m_fixture->store().addOutput(output);
        QVERIFY(added);
        const auto notBrief = lineageForOutput(m_fixture->store(), added->id);
        QVERIFY(!notBrief);
        QVERIFY2(notBrief.error().contains(QStringLiteral("not made from a brief")),
                 problem(notBrief));
        QVERIFY(notBrief.error().contains(job->id.toString()));
        QVERIFY(m_fixture->store().deleteJob(job->id));
    }

    void jsonRoundTrip()
    {
        for (const OutputId &id : m_fixture->outputIds()) {
            const auto lineage = lineageForOutput(m_fixture->store(), id);
            QVERIFY2(lineage, problem(lineage));
            const QByteArray json = lineageToJson(*lineage);
            QVERIFY(json.startsWith("{\n  \"schema\": \"brieflow.lineage/1\",\n"));
            const auto back = lineageFromJson(json);
            QVERIFY2(back, problem(back));
            QCOMPARE(*back, *lineage);
            QCOMPARE(lineageToJson(*back), json);
        }
    }

    void jsonShape()
    {
        const auto lineage =
            lineageForOutput(m_fixture->store(), m_fixture->jobs().at(0).images.at(0).id);
        QVERIFY(lineage);
        const QByteArray json = lineageToJson(*lineage);
        // Non-ASCII stays UTF-8 text, not \u escapes.
        QVERIFY(json.contains("\"product_name\": \"Café Ñandú\""));
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        QCOMPARE(o.value(QStringLiteral("seed")).toInteger(), 12345);
        QCOMPARE(o.value(QStringLiteral("index")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("image")).toObject().value(QStringLiteral("width")).toInt(),
                 512);
        const QJsonObject image = o.value(QStringLiteral("models")).toArray().at(2).toObject();
        QCOMPARE(image.value(QStringLiteral("created_at")).toString(),
                 QStringLiteral("2026-03-02T09:30:10.250Z"));
        QCOMPARE(image.value(QStringLiteral("predict_time")).toDouble(), 0.873214);

        ImageLineage bare = *lineage;
        bare.seed.reset();
        bare.models[2].predictTimeSeconds.reset();
        bare.models[2].startedAt = {};
        const QJsonObject nulls = QJsonDocument::fromJson(lineageToJson(bare)).object();
        QVERIFY(nulls.value(QStringLiteral("seed")).isNull());
        const auto back = lineageFromJson(lineageToJson(bare));
        QVERIFY2(back, problem(back));
        QCOMPARE(*back, bare);
    }

    void rejectsBrokenFields_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");

        const auto lineage =
            lineageForOutput(m_fixture->store(), m_fixture->jobs().at(0).images.at(1).id);
        QVERIFY(lineage);
        const QJsonObject good = asObject(*lineage);
        const QJsonValue undefined(QJsonValue::Undefined);

        QTest::newRow("not json") << QByteArray("{\"schema\": ") << QStringLiteral("valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("JSON object");
        QTest::newRow("schema other")
            << bytesOf(with(good, QStringLiteral("schema"), QStringLiteral("brieflow.lineage/2")))
            << QStringLiteral("\"schema\"");
        QTest::newRow("schema missing")
            << bytesOf(without(good, QStringLiteral("schema"))) << QStringLiteral("\"schema\"");
        QTest::newRow("unknown key")
            << bytesOf(with(good, QStringLiteral("colour"), 1)) << QStringLiteral("\"colour\"");
        QTest::newRow("job_id number")
            << bytesOf(with(good, QStringLiteral("job_id"), 5)) << QStringLiteral("\"job_id\"");
        QTest::newRow("output_id empty")
            << bytesOf(with(good, QStringLiteral("output_id"), QString()))
            << QStringLiteral("\"output_id\"");
        QTest::newRow("index zero")
            << bytesOf(with(good, QStringLiteral("index"), 0)) << QStringLiteral("\"index\"");
        QTest::newRow("index past count")
            << bytesOf(with(good, QStringLiteral("index"), 3)) << QStringLiteral("\"index\"");
        QTest::newRow("index fraction")
            << bytesOf(with(good, QStringLiteral("index"), 1.5)) << QStringLiteral("\"index\"");
        QTest::newRow("count text")
            << bytesOf(with(good, QStringLiteral("count"), QStringLiteral("2")))
            << QStringLiteral("\"count\"");
        QTest::newRow("brief missing")
            << bytesOf(without(good, QStringLiteral("brief"))) << QStringLiteral("\"brief\"");
        QTest::newRow("brief product empty") << bytesOf(
            withNested(good, QStringLiteral("brief"), QStringLiteral("product_name"), QString()))
                                             << QStringLiteral("\"brief.product_name\"");
        QTest::newRow("brief unknown key") << bytesOf(withNested(
            good, QStringLiteral("brief"), QStringLiteral("colour"), QStringLiteral("red")))
                                           << QStringLiteral("\"brief.colour\"");
        QTest::newRow("brief image count") << bytesOf(
            withNested(good, QStringLiteral("brief"), QStringLiteral("image"),
                       QJsonObject{{QStringLiteral("aspect_ratio"), QStringLiteral("1:1")},
                                   {QStringLiteral("count"), 9},
                                   {QStringLiteral("output_format"), QStringLiteral("png")}}))
                                           << QStringLiteral("\"brief.image.count\"");
        QTest::newRow("concept number")
            << bytesOf(with(good, QStringLiteral("concept"), 3)) << QStringLiteral("\"concept\"");
        QTest::newRow("image_prompt missing")
            << bytesOf(without(good, QStringLiteral("image_prompt")))
            << QStringLiteral("\"image_prompt\"");
        QTest::newRow("models object")
            << bytesOf(with(good, QStringLiteral("models"), QJsonObject()))
            << QStringLiteral("\"models\"");
        QTest::newRow("model not object")
            << bytesOf(with(good, QStringLiteral("models"), QJsonArray{1}))
            << QStringLiteral("\"models[0]\"");
        QTest::newRow("model step missing")
            << bytesOf(withModel(good, 0, QStringLiteral("step"), undefined))
            << QStringLiteral("\"models[0].step\"");
        QTest::newRow("model name empty")
            << bytesOf(withModel(good, 2, QStringLiteral("model"), QString()))
            << QStringLiteral("\"models[2].model\"");
        QTest::newRow("model attempts negative")
            << bytesOf(withModel(good, 1, QStringLiteral("attempts"), -1))
            << QStringLiteral("\"models[1].attempts\"");
        QTest::newRow("model time") << bytesOf(
            withModel(good, 0, QStringLiteral("created_at"), QStringLiteral("yesterday")))
                                    << QStringLiteral("\"models[0].created_at\"");
        QTest::newRow("model predict_time text")
            << bytesOf(withModel(good, 2, QStringLiteral("predict_time"), QStringLiteral("fast")))
            << QStringLiteral("\"models[2].predict_time\"");
        QTest::newRow("model unknown key") << bytesOf(withModel(good, 2, QStringLiteral("seed"), 5))
                                           << QStringLiteral("\"models[2].seed\"");
        QTest::newRow("seed fraction")
            << bytesOf(with(good, QStringLiteral("seed"), 1.5)) << QStringLiteral("\"seed\"");
        QTest::newRow("seed text")
            << bytesOf(with(good, QStringLiteral("seed"), QStringLiteral("12345")))
            << QStringLiteral("\"seed\"");
        QTest::newRow("image missing")
            << bytesOf(without(good, QStringLiteral("image"))) << QStringLiteral("\"image\"");
        QTest::newRow("image sha256") << bytesOf(withNested(
            good, QStringLiteral("image"), QStringLiteral("sha256"), QStringLiteral("xyz")))
                                      << QStringLiteral("\"image.sha256\"");
        QTest::newRow("image mime") << bytesOf(withNested(
            good, QStringLiteral("image"), QStringLiteral("mime"), QStringLiteral("text/plain")))
                                    << QStringLiteral("\"image.mime\"");
        QTest::newRow("image width")
            << bytesOf(withNested(good, QStringLiteral("image"), QStringLiteral("width"), -1))
            << QStringLiteral("\"image.width\"");
        QTest::newRow("image unknown")
            << bytesOf(withNested(good, QStringLiteral("image"), QStringLiteral("exif"), 1))
            << QStringLiteral("\"image.exif\"");
        QTest::newRow("job_created_at") << bytesOf(with(good, QStringLiteral("job_created_at"), 5))
                                        << QStringLiteral("\"job_created_at\"");
        QByteArray twice = lineageToJson(*lineage);
        twice.replace("\"concept\":", "\"concept\": \"again\",\n  \"concept\":");
        QTest::newRow("repeated key") << twice << QStringLiteral("\"concept\" is given more");
        QByteArray badUtf8 = lineageToJson(*lineage);
        badUtf8.replace("Ñandú", "\xC3\x28");
        QTest::newRow("broken utf-8") << badUtf8 << QStringLiteral("valid JSON");
    }

    void rejectsBrokenFields()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const auto parsed = lineageFromJson(json);
        QVERIFY2(!parsed, json.constData());
        QVERIFY2(parsed.error().contains(field), problem(parsed));
    }

private:
    std::unique_ptr<ExportFixture> m_fixture;
};

QTEST_GUILESS_MAIN(TestLineage)
#include "tst_lineage.moc"
