// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "core/pipeline/stepoutput.h"
#include "core/store/jobstore.h"
#include "storetestutil.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

const QString flux = QStringLiteral("black-forest-labs/flux-schnell");
const QString sdxl = QStringLiteral("stability-ai/sdxl");
const qint64 base = 1'767'225'600'000; // 2026-01-01T00:00:00Z

QDateTime at(qint64 offsetMs)
{
    return QDateTime::fromMSecsSinceEpoch(base + offsetMs, Qt::UTC);
}

QByteArray brief(const char *product, const char *words)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("product_name"), QString::fromUtf8(product)},
                                     {QStringLiteral("audience"), QString::fromUtf8(words)}})
        .toJson(QJsonDocument::Compact);
}

/** One image to add: a label for the expectations, its time, and optionally a file shared with
 *  another image (content-addressed storage). */
struct Image {
    const char *label;
    qint64 offset;
    const char *file = nullptr;
};

/**
 * Builds stores the way the engine leaves them: jobs of the campaign steps with text outputs,
 * image outputs with their provider calls, the image step's payload and the job's summary.
 * Images are known by label ("a1", ...).
 */
class GalleryBuilder {
public:
    explicit GalleryBuilder(JobStore &store)
        : m_store(store)
    {}

    JobId job(const QByteArray &payload, const QString &conceptText, const QString &prompt)
    {
        const auto created =
            m_store.createJob({QStringLiteral("campaign_asset"), payload,
                               strings({"concept", "image_prompt", "image", "store"})});
        if (!created)
            return {};
        auto steps = m_store.steps(created->id).value();
        steps[0].status = StepStatus::Succeeded;
        steps[0].outputPayload = textStepOutput(conceptText);
        steps[1].status = StepStatus::Succeeded;
        steps[1].outputPayload = textStepOutput(prompt);
        for (int i = 0; i < 2; ++i) {
            if (!m_store.updateStep(steps[i]))
                return {};
        }
        return created->id;
    }

    /** Adds the images as made by @p model (after a failed attempt with @p failedModel). */
    bool images(const JobId &job, const QString &model, const QList<Image> &images,
                const QString &failedModel = {})
    {
        StepRecord step = m_store.steps(job).value().at(2);
        int attempt = 0;
        if (!failedModel.isEmpty()) {
            auto call = m_store.recordCallIntent(job, step.id, ++attempt, failedModel,
                                                 QStringLiteral("sha"));
            if (!call)
                return false;
            call->state = CallState::Failed;
            if (!m_store.updateCall(*call))
                return false;
        }
        auto call = m_store.recordCallIntent(job, step.id, ++attempt, model, QStringLiteral("sha"));
        if (!call)
            return false;
        call->state = CallState::Succeeded;
        if (!m_store.updateCall(*call))
            return false;
        QList<OutputRecord> records;
        // Ids in label order, so that images made in the same millisecond order by label.
        QList<OutputId> ids;
        for (qsizetype i = 0; i < images.size(); ++i)
            ids << OutputId::generate();
        std::sort(ids.begin(), ids.end());
        for (qsizetype i = 0; i < images.size(); ++i) {
            const Image &image = images.at(i);
            const QString name = QString::fromLatin1(image.file ? image.file : image.label);
            OutputRecord o;
            o.id = ids.at(i);
            o.jobId = job;
            o.stepId = step.id;
            o.kind = QStringLiteral("image");
            o.filePath = QStringLiteral("/outputs/") + name + QStringLiteral(".png");
            o.sha256 = QStringLiteral("sha-") + name;
            o.mime = QStringLiteral("image/png");
            o.width = 64;
            o.height = 48;
            o.bytes = 1000;
            o.createdAt = at(image.offset);
            auto added = m_store.addOutput(o);
            if (!added)
                return false;
            records << *added;
            labels.insert(QString::fromLatin1(image.label), added->id);
            outputs.insert(added->id, *added);
        }
        step.status = StepStatus::Succeeded;
        step.outputPayload = imageStepOutput(records);
        if (!m_store.updateStep(step))
            return false;
        const auto steps = m_store.steps(job).value();
        const QList<QPair<QString, QString>> texts{
            {steps[0].name, textOfStepOutput(steps[0].outputPayload)},
            {steps[1].name, textOfStepOutput(steps[1].outputPayload)}};
        return m_store.setJobOutput(job, jobOutput(texts, records)).ok();
    }

    QHash<QString, OutputId> labels;
    QHash<OutputId, OutputRecord> outputs;

private:
    JobStore &m_store;
};

QStringList labelsOf(const QList<GalleryItem> &items, const QHash<QString, OutputId> &labels)
{
    QStringList out;
    for (const GalleryItem &item : items)
        out << labels.key(item.output.id, QStringLiteral("?"));
    return out;
}

} // namespace

class TestGalleryStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void listsImagesNewestFirstWithTheirDetails();
    void filters_data();
    void filters();
    void pagesNeitherRepeatNorSkip();
    void productsAndModels();
    void starsPersist();
    void deleteOutputsUpdatesPayloadsAndEvents();
    void deleteOutputsKeepsSharedFiles();
    void deleteOutputsOfOneJobSharingAFile();
    void tenThousandImages();

private:
    /** The fixture: three jobs with images, one without, a text output. */
    void buildFixture();
    QList<GalleryItem> list(GalleryQuery query);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<GalleryBuilder> m_build;
    JobId m_a, m_b, m_c, m_d;
};

void TestGalleryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened =
        JobStore::open(m_dir->filePath(QStringLiteral("jobs.sqlite3")), JobStore::Mode::Writer);
    VERIFY_OK(opened);
    m_store = std::move(opened).value();
    m_build = std::make_unique<GalleryBuilder>(*m_store);
}

void TestGalleryStore::cleanup()
{
    m_build.reset();
    m_store.reset();
    m_dir.reset();
}

void TestGalleryStore::buildFixture()
{
    // Job A: TrailLite, succeeded; its image step failed once with another model first.
    m_a = m_build->job(brief("TrailLite", "hikers"), QStringLiteral("Mountain morning light"),
                       QStringLiteral("A red tent at dawn"));
    QVERIFY(!m_a.isNull());
    QVERIFY(m_build->images(m_a, flux, {{"a1", 1000}, {"a2", 2000}, {"a3", 3000}},
                            QStringLiteral("other/failed-model")));
    VERIFY_OK(m_store->updateJobStatus(m_a, JobStatus::Succeeded, {}));
    // Job B: the same product spelled in lower case, failed, another model.
    m_b = m_build->job(brief("traillite", "runners"), QStringLiteral("City sprint"),
                       QStringLiteral("Neon street at night"));
    QVERIFY(m_build->images(m_b, sdxl, {{"b1", 1500}, {"b2", 2500}}));
    VERIFY_OK(m_store->updateJobStatus(m_b, JobStatus::Failed, {}));
    // Job C: two images in the same millisecond (ordered by id), and a text output.
    m_c = m_build->job(brief("AquaPure", "water drinkers"), QStringLiteral("Fresh and clear"),
                       QStringLiteral("A glass that is 100%_pure"));
    QVERIFY(m_build->images(m_c, flux, {{"c1", 500}, {"c2", 3500}, {"c3", 3500}}));
    VERIFY_OK(m_store->updateJobStatus(m_c, JobStatus::Succeeded, {}));
    OutputRecord text;
    text.jobId = m_c;
    text.kind = QStringLiteral("text");
    text.filePath = QStringLiteral("/outputs/notes.txt");
    text.sha256 = QStringLiteral("sha-notes");
    text.mime = QStringLiteral("text/plain");
    text.createdAt = at(4000);
    VERIFY_OK(m_store->addOutput(text));
    // Job D: no images.
    m_d = m_build->job(brief("NoImages", "nobody"), QStringLiteral("Nothing drawn"),
                       QStringLiteral("Nothing at all"));
    QVERIFY(!m_d.isNull());
}

QList<GalleryItem> TestGalleryStore::list(GalleryQuery query)
{
    auto items = m_store->galleryImages(query);
    if (!items) {
        qWarning() << items.error().logText();
        return {};
    }
    return *items;
}

void TestGalleryStore::listsImagesNewestFirstWithTheirDetails()
{
    buildFixture();
    const auto items = list({});
    QCOMPARE(labelsOf(items, m_build->labels),
             strings({"c3", "c2", "a3", "b2", "a2", "b1", "a1", "c1"}));
    QCOMPARE(*m_store->countGalleryImages({}), 8);

    QHash<QString, GalleryItem> byLabel;
    for (const GalleryItem &item : items)
        byLabel.insert(m_build->labels.key(item.output.id), item);
    const GalleryItem &a2 = byLabel.value(QStringLiteral("a2"));
    QCOMPARE(a2.output, m_build->outputs.value(a2.output.id));
    COMPARE_ENUM(a2.jobStatus, JobStatus::Succeeded);
    QCOMPARE(a2.productName, QStringLiteral("TrailLite"));
    // The model of the succeeded call, not the failed attempt's.
    QCOMPARE(a2.modelRef, flux);
    QCOMPARE(a2.starred, false);
    QCOMPARE(a2.indexInJob, 2);
    QCOMPARE(byLabel.value(QStringLiteral("b2")).modelRef, sdxl);
    COMPARE_ENUM(byLabel.value(QStringLiteral("b2")).jobStatus, JobStatus::Failed);
    QCOMPARE(byLabel.value(QStringLiteral("b2")).productName, QStringLiteral("traillite"));
    const QList<std::pair<const char *, int>> ranks = {{"a1", 1}, {"a2", 2}, {"a3", 3}, {"b1", 1},
                                                       {"b2", 2}, {"c1", 1}, {"c2", 2}, {"c3", 3}};
    for (const auto &[label, rank] : ranks)
        QCOMPARE(byLabel.value(QString::fromLatin1(label)).indexInJob, rank);
}

void TestGalleryStore::filters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("product");
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("from"); // -1: open
    QTest::addColumn<qint64>("to");
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("starredOnly");
    QTest::addColumn<QStringList>("expected");
    const QString none;
    const qint64 open = -1;
    // a2 and c1 are starred by the test.
    QTest::newRow("text in the concept, any case")
        << QStringLiteral("MOUNTAIN") << none << none << open << open << none << false
        << strings({"a3", "a2", "a1"});
    QTest::newRow("text in the image prompt") << QStringLiteral("neon") << none << none << open
                                              << open << none << false << strings({"b2", "b1"});
    QTest::newRow("text in the brief") << QStringLiteral("Water Drinkers") << none << none << open
                                       << open << none << false << strings({"c3", "c2", "c1"});
    QTest::newRow("LIKE wildcards are literal")
        << QStringLiteral("0%_p") << none << none << open << open << none << false
        << strings({"c3", "c2", "c1"});
    QTest::newRow("a lone % matches only a literal %")
        << QStringLiteral("%") << none << none << open << open << none << false
        << strings({"c3", "c2", "c1"});
    QTest::newRow("JSON keys of step outputs are not text")
        << QStringLiteral("text") << none << none << open << open << none << false << QStringList();
    QTest::newRow("text of a job without images") << QStringLiteral("Nothing drawn") << none << none
                                                  << open << open << none << false << QStringList();
    QTest::newRow("product, any case")
        << none << QStringLiteral("TRAILLITE") << none << open << open << none << false
        << strings({"a3", "b2", "a2", "b1", "a1"});
    QTest::newRow("product is equality, not substring")
        << none << QStringLiteral("Trail") << none << open << open << none << false
        << QStringList();
    QTest::newRow("model") << none << none << sdxl << open << open << none << false
                           << strings({"b2", "b1"});
    QTest::newRow("a failed attempt's model made nothing")
        << none << none << QStringLiteral("other/failed-model") << open << open << none << false
        << QStringList();
    QTest::newRow("date range is [from, to)")
        << none << none << none << qint64(1500) << qint64(3000) << none << false
        << strings({"b2", "a2", "b1"});
    QTest::newRow("from only") << none << none << none << qint64(3000) << open << none << false
                               << strings({"c3", "c2", "a3"});
    QTest::newRow("to only") << none << none << none << open << qint64(1000) << none << false
                             << strings({"c1"});
    QTest::newRow("job status") << none << none << none << open << open << QStringLiteral("failed")
                                << false << strings({"b2", "b1"});
    QTest::newRow("starred only") << none << none << none << open << open << none << true
                                  << strings({"a2", "c1"});
    QTest::newRow("product + status")
        << none << QStringLiteral("traillite") << none << open << open
        << QStringLiteral("succeeded") << false << strings({"a3", "a2", "a1"});
    QTest::newRow("product + from") << none << QStringLiteral("TrailLite") << none << qint64(2000)
                                    << open << none << false << strings({"a3", "b2", "a2"});
    QTest::newRow("text + starred") << QStringLiteral("tent") << none << none << open << open
                                    << none << true << strings({"a2"});
    QTest::newRow("model + status + to")
        << none << none << flux << open << qint64(3500) << QStringLiteral("succeeded") << false
        << strings({"a3", "a2", "a1", "c1"});
    QTest::newRow("everything at once")
        << QStringLiteral("red tent") << QStringLiteral("traillite") << flux << qint64(1000)
        << qint64(2001) << QStringLiteral("succeeded") << true << strings({"a2"});
    QTest::newRow("nothing matches all")
        << QStringLiteral("neon") << none << flux << open << open << none << false << QStringList();
}

void TestGalleryStore::filters()
{
    QFETCH(QString, text);
    QFETCH(QString, product);
    QFETCH(QString, model);
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(QString, status);
    QFETCH(bool, starredOnly);
    QFETCH(QStringList, expected);
    buildFixture();
    VERIFY_OK(m_store->setOutputsStarred(
        {m_build->labels.value(QStringLiteral("a2")), m_build->labels.value(QStringLiteral("c1"))},
        true));

    GalleryQuery query;
    query.text = text;
    query.product = product;
    query.model = model;
    if (from >= 0)
        query.from = at(from);
    if (to >= 0)
        query.to = at(to);
    if (!status.isEmpty())
        query.status = jobStatusFromString(status);
    query.starredOnly = starredOnly;
    const auto items = list(query);
    QCOMPARE(labelsOf(items, m_build->labels), expected);
    const auto count = m_store->countGalleryImages(query);
    VERIFY_OK(count);
    QCOMPARE(*count, expected.size());
    for (const GalleryItem &item : items) {
        if (starredOnly)
            QVERIFY(item.starred);
        if (!model.isEmpty())
            QCOMPARE(item.modelRef, model);
    }
}

void TestGalleryStore::pagesNeitherRepeatNorSkip()
{
    buildFixture();
    for (const int size : {1, 3, 5}) {
        for (const QString &product : {QString(), QStringLiteral("traillite")}) {
            GalleryQuery all;
            all.product = product;
            all.limit = 0;
            const QStringList whole = labelsOf(list(all), m_build->labels);
            QStringList paged;
            for (int offset = 0;; offset += size) {
                GalleryQuery page = all;
                page.limit = size;
                page.offset = offset;
                const auto items = list(page);
                QVERIFY(items.size() <= size);
                if (items.isEmpty())
                    break;
                paged += labelsOf(items, m_build->labels);
            }
            QCOMPARE(paged, whole);
            QCOMPARE(QSet<QString>(paged.cbegin(), paged.cend()).size(), paged.size());
            QCOMPARE(*m_store->countGalleryImages(all), whole.size());
        }
    }
}

void TestGalleryStore::productsAndModels()
{
    buildFixture();
    // One spelling per product (the filter ignores case); jobs without images don't count.
    QCOMPARE(m_store->galleryProducts().value(), strings({"AquaPure", "TrailLite"}));
    // Only models whose calls made images; not the failed attempt's.
    QCOMPARE(m_store->galleryModels().value(), (QStringList{flux, sdxl}));
}

void TestGalleryStore::starsPersist()
{
    buildFixture();
    const OutputId a1 = m_build->labels.value(QStringLiteral("a1"));
    const OutputId b2 = m_build->labels.value(QStringLiteral("b2"));
    VERIFY_OK(m_store->setOutputsStarred({a1, b2, OutputId::generate()}, true));
    VERIFY_OK(m_store->setOutputsStarred({}, true));
    const QString file = m_store->fileName();
    m_store.reset();
    for (const auto mode : {JobStore::Mode::Writer, JobStore::Mode::Reader}) {
        auto reopened = JobStore::open(file, mode);
        VERIFY_OK(reopened);
        GalleryQuery starred;
        starred.starredOnly = true;
        QCOMPARE(labelsOf(reopened.value()->galleryImages(starred).value(), m_build->labels),
                 strings({"b2", "a1"}));
    }
    auto store = JobStore::open(file, JobStore::Mode::Writer).value();
    VERIFY_OK(store->setOutputsStarred({b2}, false));
    GalleryQuery starred;
    starred.starredOnly = true;
    QCOMPARE(labelsOf(store->galleryImages(starred).value(), m_build->labels), strings({"a1"}));
    QCOMPARE(*store->countGalleryImages(starred), 1);
}

void TestGalleryStore::deleteOutputsUpdatesPayloadsAndEvents()
{
    buildFixture();
    const OutputId a1 = m_build->labels.value(QStringLiteral("a1"));
    const OutputId a3 = m_build->labels.value(QStringLiteral("a3"));
    const OutputId b1 = m_build->labels.value(QStringLiteral("b1"));
    const OutputId a2 = m_build->labels.value(QStringLiteral("a2"));
    const QByteArray cBefore = m_store->job(m_c).value()->outputPayload;
    const int cEvents = static_cast<int>(m_store->events(m_c)->size());

    const auto deleted = m_store->deleteOutputs({a1, a3, b1, OutputId::generate()});
    VERIFY_OK(deleted);
    QStringList files = *deleted;
    files.sort();
    QCOMPARE(files, strings({"/outputs/a1.png", "/outputs/a3.png", "/outputs/b1.png"}));

    for (const OutputId &id : {a1, a3, b1})
        QVERIFY(!m_store->output(id).value().has_value());
    QVERIFY(m_store->output(a2).value().has_value());
    QCOMPARE(labelsOf(list({}), m_build->labels), strings({"c3", "c2", "b2", "a2", "c1"}));
    // Ranks follow the remaining images.
    QCOMPARE(list({}).at(3).indexInJob, 1);

    // The image step lists what is left, in the engine's shape.
    const auto stepsA = m_store->steps(m_a).value();
    QCOMPARE(outputIdsOfStepOutput(stepsA.at(2).outputPayload), QList<OutputId>{a2});
    QCOMPARE(stepsA.at(2).outputPayload, imageStepOutput({m_build->outputs.value(a2)}));
    // The job's summary too: texts kept, images without the deleted ones.
    const QByteArray summaryA = m_store->job(m_a).value()->outputPayload;
    QCOMPARE(summaryA,
             jobOutput({{QStringLiteral("concept"), QStringLiteral("Mountain morning light")},
                        {QStringLiteral("image_prompt"), QStringLiteral("A red tent at dawn")}},
                       {m_build->outputs.value(a2)}));
    const auto stepsB = m_store->steps(m_b).value();
    QCOMPARE(outputIdsOfStepOutput(stepsB.at(2).outputPayload),
             QList<OutputId>{m_build->labels.value(QStringLiteral("b2"))});
    QCOMPARE(QJsonDocument::fromJson(m_store->job(m_b).value()->outputPayload)
                 .object()
                 .value(QStringLiteral("images"))
                 .toArray()
                 .size(),
             1);

    // One event per job, naming the outputs; job C is untouched.
    for (const auto &[job, expectedIds] :
         {std::pair(m_a, QStringList{a1.toString(), a3.toString()}),
          std::pair(m_b, QStringList{b1.toString()})}) {
        const auto events = m_store->events(job).value();
        QList<EventRecord> deletions;
        for (const EventRecord &e : events) {
            if (e.kind == QStringLiteral("output_deleted"))
                deletions << e;
        }
        QCOMPARE(deletions.size(), 1);
        QStringList ids;
        const QJsonArray listed = QJsonDocument::fromJson(deletions.first().data)
                                      .object()
                                      .value(QStringLiteral("output_ids"))
                                      .toArray();
        for (const QJsonValue &v : listed)
            ids << v.toString();
        ids.sort();
        QStringList wanted = expectedIds;
        wanted.sort();
        QCOMPARE(ids, wanted);
    }
    QCOMPARE(m_store->events(m_c)->size(), cEvents);
    QCOMPARE(m_store->job(m_c).value()->outputPayload, cBefore);

    // Unknown ids: nothing happens.
    VERIFY_OK(m_store->deleteOutputs({OutputId::generate()}));
    QCOMPARE(m_store->deleteOutputs({OutputId::generate()}).value(), QStringList());
    QCOMPARE(*m_store->countGalleryImages({}), 5);
    VERIFY_OK(m_store->integrityCheck());
}

void TestGalleryStore::deleteOutputsKeepsSharedFiles()
{
    // Two jobs made the same picture: one file, two rows.
    const JobId one = m_build->job(brief("Same", "x"), QStringLiteral("concept one"),
                                   QStringLiteral("prompt one"));
    const JobId two = m_build->job(brief("Same", "y"), QStringLiteral("concept two"),
                                   QStringLiteral("prompt two"));
    QVERIFY(m_build->images(one, flux, {{"x1", 100, "shared"}, {"x2", 200}}));
    QVERIFY(m_build->images(two, flux, {{"y1", 300, "shared"}}));
    const QString shared = QStringLiteral("/outputs/shared.png");

    QCOMPARE(m_store->deleteOutputs({m_build->labels.value(QStringLiteral("x1"))}).value(),
             QStringList());
    QVERIFY(m_store->output(m_build->labels.value(QStringLiteral("y1"))).value().has_value());
    QCOMPARE(m_store->deleteOutputs({m_build->labels.value(QStringLiteral("y1"))}).value(),
             QStringList{shared});
    QCOMPARE(m_store->deleteOutputs({m_build->labels.value(QStringLiteral("x2"))}).value(),
             QStringList{QStringLiteral("/outputs/x2.png")});
    QCOMPARE(*m_store->countGalleryImages({}), 0);
    // Empty lists stay in the engine's shapes.
    QCOMPARE(m_store->steps(two).value().at(2).outputPayload, imageStepOutput({}));
    QCOMPARE(QJsonDocument::fromJson(m_store->job(two).value()->outputPayload)
                 .object()
                 .value(QStringLiteral("images"))
                 .toArray()
                 .size(),
             0);
}

void TestGalleryStore::deleteOutputsOfOneJobSharingAFile()
{
    // The model returned the same picture twice: the job's summary lists it twice (without
    // output ids); deleting one row removes exactly one of the entries and keeps the file.
    const JobId job =
        m_build->job(brief("Twice", "z"), QStringLiteral("concept"), QStringLiteral("prompt"));
    QVERIFY(m_build->images(job, flux, {{"t1", 100, "twin"}, {"t2", 200, "twin"}}));
    const OutputId t1 = m_build->labels.value(QStringLiteral("t1"));
    const OutputId t2 = m_build->labels.value(QStringLiteral("t2"));
    QCOMPARE(m_store->deleteOutputs({t1}).value(), QStringList());
    QCOMPARE(outputIdsOfStepOutput(m_store->steps(job).value().at(2).outputPayload),
             QList<OutputId>{t2});
    const QJsonArray images = QJsonDocument::fromJson(m_store->job(job).value()->outputPayload)
                                  .object()
                                  .value(QStringLiteral("images"))
                                  .toArray();
    QCOMPARE(images.size(), 1);
    QCOMPARE(images.at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/outputs/twin.png"));
    QCOMPARE(m_store->deleteOutputs({t2}).value(),
             QStringList{QStringLiteral("/outputs/twin.png")});
}

void TestGalleryStore::tenThousandImages()
{
    // 2,500 jobs of 4 images each over 10 products and 2 models, every 7th image starred.
    {
        // Full: the batch records call intents, which commit at synchronous=FULL.
        auto batch = m_store->beginBatch(JobStore::Durability::Full);
        VERIFY_OK(batch);
        for (int j = 0; j < 2500; ++j) {
            const QByteArray product = "Product " + QByteArray::number(j % 10);
            const JobId job = m_build->job(
                brief(product.constData(), j % 50 == 0 ? "needle" : "hay"),
                QStringLiteral("Concept %1").arg(j), QStringLiteral("Prompt %1").arg(j));
            QVERIFY(!job.isNull());
            const QByteArray l = QByteArray::number(j);
            const QList<QByteArray> names{l + "-1", l + "-2", l + "-3", l + "-4"};
            QVERIFY(m_build->images(job, j % 2 ? flux : sdxl,
                                    {{names[0].constData(), j * 10 + 0},
                                     {names[1].constData(), j * 10 + 1},
                                     {names[2].constData(), j * 10 + 2},
                                     {names[3].constData(), j * 10 + 3}}));
        }
        QList<OutputId> starred;
        int i = 0;
        for (auto it = m_build->outputs.cbegin(); it != m_build->outputs.cend(); ++it, ++i) {
            if (i % 7 == 0)
                starred << it.key();
        }
        VERIFY_OK(m_store->setOutputsStarred(starred, true));
        VERIFY_OK(batch->commit());
    }
    // The labels' QByteArrays died with the loop: only ids are used from here on.
    QCOMPARE(*m_store->countGalleryImages({}), 10'000);

    const auto timed = [](auto &&call) {
        QElapsedTimer timer;
        timer.start();
        const auto result = call();
        return std::pair(result, static_cast<double>(timer.nsecsElapsed()) / 1e6);
    };
    GalleryQuery first;
    first.limit = 200;
    const auto [page, pageMs] = timed([&] { return m_store->galleryImages(first); });
    VERIFY_OK(page);
    QCOMPARE(page->size(), 200);
    QCOMPARE(page->first().output.createdAt, at(2499 * 10 + 3));
    const auto [count, countMs] = timed([&] { return m_store->countGalleryImages({}); });
    QCOMPARE(count.value(), 10'000);
    GalleryQuery search = first;
    search.text = QStringLiteral("NEEDLE");
    const auto [found, searchMs] = timed([&] { return m_store->galleryImages(search); });
    QCOMPARE(found.value().size(), 200);
    const auto [searchCount, searchCountMs] =
        timed([&] { return m_store->countGalleryImages(search); });
    QCOMPARE(searchCount.value(), 50 * 4);
    GalleryQuery product = first;
    product.product = QStringLiteral("product 3");
    const auto [byProduct, productMs] = timed([&] { return m_store->galleryImages(product); });
    QCOMPARE(byProduct.value().size(), 200);
    QCOMPARE(m_store->countGalleryImages(product).value(), 1000);
    GalleryQuery stars = first;
    stars.starredOnly = true;
    const auto [starredPage, starredMs] = timed([&] { return m_store->galleryImages(stars); });
    QCOMPARE(starredPage.value().size(), 200);
    const auto [products, productsMs] = timed([&] { return m_store->galleryProducts(); });
    QCOMPARE(products.value().size(), 10);
    const auto [models, modelsMs] = timed([&] { return m_store->galleryModels(); });
    QCOMPARE(models.value(), (QStringList{flux, sdxl}));
    qInfo("10,000 images: first page %.1f ms, count %.1f ms, text search page %.1f ms, text "
          "search count %.1f ms, product page %.1f ms, starred page %.1f ms, products %.1f ms, "
          "models %.1f ms",
          pageMs, countMs, searchMs, searchCountMs, productMs, starredMs, productsMs, modelsMs);

    // The plans read indexes: the newest-first page walks outputs_gallery without sorting,
    // ranks come from outputs_job_images, the count reads only the index.
    const auto plan = [this](const GalleryQuery &query, JobStore::GalleryStatement statement) {
        return m_store->galleryQueryPlan(query, statement).value().join(u'\n');
    };
    const QString listPlan = plan(first, JobStore::GalleryStatement::List);
    QVERIFY2(listPlan.contains(QStringLiteral("outputs_gallery")), qPrintable(listPlan));
    QVERIFY2(listPlan.contains(QStringLiteral("outputs_job_images")), qPrintable(listPlan));
    QVERIFY2(!listPlan.contains(QStringLiteral("TEMP B-TREE")), qPrintable(listPlan));
    const QString countPlan = plan(first, JobStore::GalleryStatement::Count);
    QVERIFY2(countPlan.contains(QStringLiteral("outputs_gallery")), qPrintable(countPlan));
    GalleryQuery range = first;
    range.from = at(100);
    range.to = at(200);
    const QString rangePlan = plan(range, JobStore::GalleryStatement::List);
    QVERIFY2(rangePlan.contains(QStringLiteral("outputs_gallery (created_at>? AND created_at<?)")),
             qPrintable(rangePlan));
    QVERIFY2(!rangePlan.contains(QStringLiteral("TEMP B-TREE")), qPrintable(rangePlan));
    const QString productPlan = plan(product, JobStore::GalleryStatement::Count);
    QVERIFY2(productPlan.contains(QStringLiteral("jobs_product"))
                 || productPlan.contains(QStringLiteral("outputs_gallery")),
             qPrintable(productPlan));
    for (const auto &[name, query] :
         {std::pair("text", search), std::pair("product", product), std::pair("starred", stars)}) {
        qInfo("plan of the %s page: %s", name,
              qPrintable(m_store->galleryQueryPlan(query, JobStore::GalleryStatement::List)
                             .value()
                             .join(QStringLiteral(" | "))));
    }
    const QString starredPlan = plan(stars, JobStore::GalleryStatement::List);
    QVERIFY2(!starredPlan.contains(QStringLiteral("SCAN o\n"))
                 && !starredPlan.endsWith(QStringLiteral("SCAN o")),
             qPrintable(starredPlan));
    QVERIFY2(!starredPlan.contains(QStringLiteral("TEMP B-TREE")), qPrintable(starredPlan));
}

QTEST_GUILESS_MAIN(TestGalleryStore)
#include "tst_gallerystore.moc"
