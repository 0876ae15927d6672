// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `brieflow-cli stats` and the ETA / cost of `list` and `show`, as real brieflow-cli processes
// against a job database seeded through JobStore with known jobs, attempts, events and webhook
// deliveries. Only the times JobStore stamps itself (a job's creation, a call's intent) are
// moved with SQL afterwards, so that the durations and the range are known to the millisecond.
// Every expected figure below is worked out by hand in the comments.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/core/store/rawdatabase.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    e.remove(QStringLiteral("REPLICATE_API_TOKEN"));
    p.setProcessEnvironment(e);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10000))
        return {};
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject jsonObject(const Run &run)
{
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

/** The value at @p path ("cost.today.spent_usd") in @p root. */
QJsonValue valueAt(const QJsonObject &root, const char *path)
{
    const QStringList keys = QString::fromLatin1(path).split(QLatin1Char('.'));
    QJsonValue value = root;
    for (const QString &key : keys)
        value = value.toObject().value(key);
    return value;
}

const QString llama = QStringLiteral("meta/meta-llama-3-8b-instruct");
const QString flux = QStringLiteral("black-forest-labs/flux-schnell");
/// Not in the price table: costs the fallback price. The version is not part of the price key.
const QString other = QStringLiteral("acme/prompter:0123abcd");

/** The test's prices: llama $0.01/s, flux $0.10/s, anything else $0.001/s. */
const QByteArray priceTable = R"({"fallback_usd_per_second": 0.001,
    "models": {"meta/meta-llama-3-8b-instruct": 0.01, "black-forest-labs/flux-schnell": 0.1}})";

/** One attempt to seed; offsets are milliseconds after the job's creation. */
struct Attempt {
    int attempt = 1;
    QString model;
    CallState state = CallState::Succeeded;
    bool predictionId = true;
    std::optional<double> predictTime;
    qint64 startingMs = -1; ///< provider started_at - created_at; -1: not in the metrics
    qint64 intentAt = 0;
    qint64 completedAt = -1; ///< -1: not completed
    QString errorType;
};

/** A succeeded attempt. */
Attempt ok(const QString &model, double predict, qint64 intent, qint64 done, qint64 starting = -1,
           int attempt = 1)
{
    Attempt a;
    a.attempt = attempt;
    a.model = model;
    a.predictTime = predict;
    a.intentAt = intent;
    a.completedAt = done;
    a.startingMs = starting;
    return a;
}

/** A failed attempt. */
Attempt failed(const QString &model, std::optional<double> predict, qint64 intent, qint64 done,
               const QString &error, int attempt = 1, bool predictionId = true)
{
    Attempt a = ok(model, 0, intent, done, -1, attempt);
    a.state = CallState::Failed;
    a.predictTime = predict;
    a.errorType = error;
    a.predictionId = predictionId;
    return a;
}

bool approx(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

} // namespace

class TestCliStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void figuresEqualHandComputedValues();
    void sinceFiltersOlderRecords();
    void textReportHasEverySection();
    void emptyDataFolderSaysNone();
    void badDurationsExitTwo_data();
    void badDurationsExitTwo();
    void badPriceTableWarnsAndUsesDefaults();
    void etaAndCostInListAndShow();

private:
    QStringList data() const { return {QStringLiteral("--data-dir"), m_dir->path()}; }
    /** A new pending job of @p product's brief, created at @p createdAt. */
    JobId newJob(const QString &product, const QDateTime &createdAt);
    /** Records @p a on @p step of @p job (created at @p created) with the given times. */
    bool addAttempt(const JobId &job, const StepRecord &step, const QDateTime &created,
                    const Attempt &a);
    /** Sets @p step's status, attempts and times (offsets after @p created; -1: none). */
    bool setStep(StepRecord step, StepStatus status, int attempts, const QDateTime &created,
                 qint64 startedAt, qint64 completedAt);
    /** A succeeded job whose concept, image_prompt and image attempts are the given ones. */
    JobId succeededJob(const QDateTime &created, const QList<Attempt> &conceptAttempts,
                       const QList<Attempt> &imagePrompt, const QList<Attempt> &image);
    void writeSettings(const QByteArray &prices, double budget, int concurrency = 4,
                       const QString &imageModel = {});
    /** The whole seeded history of figuresEqualHandComputedValues(). */
    void seedHistory();

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<test::RawDatabase> m_raw;
    QDateTime m_now;
    /** Every seeded priced call: intent time and cost, for "spent today". */
    QList<std::pair<QDateTime, double>> m_costs;
    JobId m_old;
};

void TestCliStats::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
    m_raw = std::make_unique<test::RawDatabase>(m_dir->paths().databaseFile());
    QVERIFY(m_raw->isOpen());
    m_now = QDateTime::currentDateTimeUtc();
    m_costs.clear();
}

void TestCliStats::cleanup()
{
    m_raw.reset();
    m_store.reset();
    m_dir.reset();
}

JobId TestCliStats::newJob(const QString &product, const QDateTime &createdAt)
{
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto brief = briefFromJson(file.readAll());
    if (!brief)
        return {};
    brief->productName = product;
    const auto job = submitBrief(*m_store, *brief, QStringLiteral("test"));
    if (!job)
        return {};
    if (!m_raw->exec(QStringLiteral("UPDATE jobs SET created_at = %1 WHERE id = '%2'")
                         .arg(createdAt.toMSecsSinceEpoch())
                         .arg(job->id.toString())))
        return {};
    return job->id;
}

bool TestCliStats::addAttempt(const JobId &job, const StepRecord &step, const QDateTime &created,
                              const Attempt &a)
{
    auto call = m_store->recordCallIntent(job, step.id, a.attempt, a.model,
                                          QStringLiteral("sha-%1").arg(a.attempt));
    if (!call)
        return false;
    const QDateTime intent = created.addMSecs(a.intentAt);
    // The intent time first: the store derives a succeeded call's durations from it.
    if (!m_raw->exec(QStringLiteral("UPDATE provider_calls SET created_at = %1 WHERE id = '%2'")
                         .arg(intent.toMSecsSinceEpoch())
                         .arg(call->id.toString())))
        return false;
    call->state = a.state;
    if (a.predictionId) {
        call->predictionId =
            QStringLiteral("pred-%1-%2-%3").arg(job.toString().right(8), step.name).arg(a.attempt);
        call->submittedAt = intent.addMSecs(10);
    }
    QJsonObject metrics;
    if (a.predictTime)
        metrics.insert(QStringLiteral("predict_time"), *a.predictTime);
    if (a.startingMs >= 0) {
        const QDateTime providerCreated = intent.addMSecs(20);
        metrics.insert(QStringLiteral("created_at"), providerCreated.toString(Qt::ISODateWithMs));
        metrics.insert(QStringLiteral("started_at"),
                       providerCreated.addMSecs(a.startingMs).toString(Qt::ISODateWithMs));
    }
    if (!metrics.isEmpty())
        call->metrics = QJsonDocument(metrics).toJson(QJsonDocument::Compact);
    if (a.completedAt >= 0)
        call->completedAt = created.addMSecs(a.completedAt);
    call->errorType = a.errorType;
    if (!a.errorType.isEmpty())
        call->errorMessage = QStringLiteral("it went wrong");
    if (!m_store->updateCall(*call))
        return false;
    if (a.predictTime && a.predictionId) {
        const QString model = a.model.section(QLatin1Char(':'), 0, 0);
        const double price = model == llama ? 0.01 : model == flux ? 0.1 : 0.001;
        m_costs.append({intent, *a.predictTime * price});
    }
    return true;
}

bool TestCliStats::setStep(StepRecord step, StepStatus status, int attempts,
                           const QDateTime &created, qint64 startedAt, qint64 completedAt)
{
    step.status = status;
    step.attemptCount = attempts;
    step.startedAt = startedAt >= 0 ? created.addMSecs(startedAt) : QDateTime();
    step.completedAt = completedAt >= 0 ? created.addMSecs(completedAt) : QDateTime();
    return m_store->updateStep(step).ok();
}

JobId TestCliStats::succeededJob(const QDateTime &created, const QList<Attempt> &conceptAttempts,
                                 const QList<Attempt> &imagePrompt, const QList<Attempt> &image)
{
    const JobId id = newJob(QStringLiteral("Aurora Lamp"), created);
    if (id.isNull())
        return {};
    const QList<StepRecord> steps = m_store->steps(id).value();
    const QList<Attempt> *attempts[] = {&conceptAttempts, &imagePrompt, &image};
    for (int i = 0; i < 3; ++i) {
        for (const Attempt &a : *attempts[i]) {
            if (!addAttempt(id, steps.at(i), created, a))
                return {};
        }
        const Attempt &last = attempts[i]->last();
        if (!setStep(steps.at(i), StepStatus::Succeeded, int(attempts[i]->size()), created,
                     attempts[i]->first().intentAt, last.completedAt))
            return {};
    }
    const qint64 end = image.last().completedAt;
    if (!setStep(steps.at(3), StepStatus::Succeeded, 0, created, end, end + 5)
        || !m_store->updateJobStatus(id, JobStatus::Succeeded, {}))
        return {};
    return id;
}

void TestCliStats::writeSettings(const QByteArray &prices, double budget, int concurrency,
                                 const QString &imageModel)
{
    const QString file = m_dir->paths().settingsFile();
    QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
    Settings settings(file);
    settings.setValue(Settings::ModelPrices, prices);
    settings.setValue(Settings::DailyBudgetUsd, budget);
    settings.setValue(Settings::MaxConcurrentJobs, concurrency);
    if (!imageModel.isEmpty())
        settings.setValue(Settings::ImageModel, imageModel);
    QVERIFY(settings.sync());
}

void TestCliStats::seedHistory()
{
    // Seven jobs created in the last hour (S0-S3 succeeded, F failed, C canceled, P running and
    // stuck) and one (O) three days ago. Steps: concept (llama), image_prompt (llama; S2 uses
    // `other`), image (flux), store (local).
    const auto at = [this](int minutesAgo) { return m_now.addSecs(-60 * minutesAgo); };
    // Concept samples (queue = intent - ready, total = completed - ready, where ready is the
    // job's creation, or the end of the step's previous attempt when later):
    //   S0: queue 400, starting 500, running 2000, total 5000
    //   S1: attempt 1 output_rejected (ends at 60); attempt 2: queue 160-60 = 100, starting
    //       300, running 4000, total 7060-60 = 7000
    //   S2: queue 300, starting 800, running 1000, total 3000
    //   S3: queue 200, starting 100, running 3000, total 6000
    const JobId s0 = succeededJob(at(50), {ok(llama, 2.0, 400, 5000, 500)},
                                  {ok(llama, 1.0, 5100, 7000)}, {ok(flux, 2.0, 7100, 10000)});
    const JobId s1 = succeededJob(at(40),
                                  {failed(llama, 1.5, 20, 60, QStringLiteral("output_rejected")),
                                   ok(llama, 4.0, 160, 7060, 300, 2)},
                                  {ok(llama, 1.0, 7100, 9000)}, {ok(flux, 2.0, 9100, 12000)});
    const JobId s2 = succeededJob(at(30), {ok(llama, 1.0, 300, 3000, 800)},
                                  {ok(other, 1.0, 3100, 5000)}, {ok(flux, 2.0, 5100, 8000)});
    const JobId s3 =
        succeededJob(at(20), {ok(llama, 3.0, 200, 6000, 100)}, {ok(llama, 1.0, 6100, 8000)},
                     {failed(flux, 0.5, 8100, 9000, QStringLiteral("output_missing")),
                      ok(flux, 2.0, 9100, 12000, -1, 2)});
    QVERIFY(!s0.isNull() && !s1.isNull() && !s2.isNull() && !s3.isNull());

    // F: another brief; concept fails twice with model_error (the first create never got a
    // prediction id, so it is neither created nor unpriced), then the job fails.
    const QDateTime fCreated = at(15);
    const JobId f = newJob(QStringLiteral("Brisk Kettle"), fCreated);
    QVERIFY(!f.isNull());
    {
        const QList<StepRecord> steps = m_store->steps(f).value();
        QVERIFY(addAttempt(
            f, steps.at(0), fCreated,
            failed(llama, std::nullopt, 100, 200, QStringLiteral("model_error"), 1, false)));
        QVERIFY(addAttempt(f, steps.at(0), fCreated,
                           failed(llama, 0.3, 300, 900, QStringLiteral("model_error"), 2)));
        QVERIFY(setStep(steps.at(0), StepStatus::Failed, 2, fCreated, 100, 900));
        QVERIFY(m_store->updateJobStatus(f, JobStatus::Failed, QStringLiteral("concept"),
                                         QStringLiteral("model_error"), QStringLiteral("no")));
    }

    // C: canceled while its concept prediction ran: ended without a predict_time (unpriced).
    const QDateTime cCreated = at(10);
    const JobId c = newJob(QStringLiteral("Aurora Lamp"), cCreated);
    QVERIFY(!c.isNull());
    {
        const QList<StepRecord> steps = m_store->steps(c).value();
        Attempt a;
        a.model = llama;
        a.state = CallState::Canceled;
        a.intentAt = 100;
        a.completedAt = 400;
        QVERIFY(addAttempt(c, steps.at(0), cCreated, a));
        QVERIFY(setStep(steps.at(0), StepStatus::Canceled, 1, cCreated, 100, 400));
        QVERIFY(m_store->updateJobStatus(c, JobStatus::Canceled, {}));
    }

    // P: running its concept prediction, flagged stuck.
    const QDateTime pCreated = at(5);
    const JobId p = newJob(QStringLiteral("Aurora Lamp"), pCreated);
    QVERIFY(!p.isNull());
    {
        const QList<StepRecord> steps = m_store->steps(p).value();
        Attempt a;
        a.model = llama;
        a.state = CallState::Submitted;
        a.intentAt = 100;
        QVERIFY(addAttempt(p, steps.at(0), pCreated, a));
        QVERIFY(setStep(steps.at(0), StepStatus::Processing, 1, pCreated, 100, -1));
        QVERIFY(m_store->updateJobStatus(p, JobStatus::Processing, QStringLiteral("concept")));
        QVERIFY(
            m_store->setStepStuck(steps.at(0).id, QStringLiteral("Running far too long."), 60'000)
                .valueOr(false));
    }

    // O: three days ago, one concept prediction of 100 s ($1.00).
    const QDateTime oCreated = m_now.addDays(-3);
    m_old = newJob(QStringLiteral("Old Clock"), oCreated);
    QVERIFY(!m_old.isNull());
    {
        const QList<StepRecord> steps = m_store->steps(m_old).value();
        QVERIFY(addAttempt(m_old, steps.at(0), oCreated, ok(llama, 100.0, 100, 101'000)));
        QVERIFY(m_store->updateJobStatus(m_old, JobStatus::Succeeded, {}));
    }

    // Restarts: S0 recovered twice, S1 once: two jobs.
    QVERIFY(m_store->appendEvent(s0, {}, QStringLiteral("recovered"), QStringLiteral("taken up")));
    QVERIFY(m_store->appendEvent(s0, {}, QStringLiteral("recovered"), QStringLiteral("again")));
    QVERIFY(m_store->appendEvent(s1, {}, QStringLiteral("recovered"), QStringLiteral("taken up")));

    // Webhooks: 3 verified, 1 duplicate, 1 late, 2 bad signatures, 1 stale, 1 dropped then
    // polled; and one verified three days ago.
    const auto delivery = [this](const QString &outcome, const QString &reason = {},
                                 const QDateTime &when = {}) {
        WebhookDeliveryRecord record;
        record.outcome = outcome;
        record.reason = reason;
        record.receivedAt = when;
        return m_store->recordWebhookDelivery(record).ok();
    };
    for (int i = 0; i < 3; ++i)
        QVERIFY(delivery(WebhookOutcomeVerified));
    QVERIFY(delivery(WebhookOutcomeDuplicate));
    QVERIFY(delivery(WebhookOutcomeLate));
    QVERIFY(delivery(WebhookOutcomeRejected, QStringLiteral("bad_signature")));
    QVERIFY(delivery(WebhookOutcomeRejected, QStringLiteral("bad_signature")));
    QVERIFY(delivery(WebhookOutcomeRejected, QStringLiteral("stale")));
    QVERIFY(delivery(WebhookOutcomeDroppedPolled));
    QVERIFY(delivery(WebhookOutcomeVerified, {}, m_now.addDays(-3)));
}

void TestCliStats::figuresEqualHandComputedValues()
{
    writeSettings(priceTable, 2.0);
    seedHistory();
    if (QTest::currentTestFailed())
        return;

    const Run run = runCli(data() + QStringList{QStringLiteral("stats"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QJsonObject root = jsonObject(run);

    // The range: the last 24 h, and the price table used (ours, from the settings).
    const QJsonObject range = root.value(QStringLiteral("range")).toObject();
    QCOMPARE(range.value(QStringLiteral("since")).toString(), QStringLiteral("24h"));
    const QDateTime from =
        QDateTime::fromString(range.value(QStringLiteral("from")).toString(), Qt::ISODateWithMs);
    const QDateTime to =
        QDateTime::fromString(range.value(QStringLiteral("to")).toString(), Qt::ISODateWithMs);
    QCOMPARE(from.msecsTo(to), qint64(24) * 3600 * 1000);
    QVERIFY(qAbs(to.msecsTo(m_now)) < 60'000);
    QCOMPARE(range.value(QStringLiteral("utc_offset_seconds")).toInt(),
             QDateTime::currentDateTime().offsetFromUtc());
    const QJsonObject prices = root.value(QStringLiteral("prices")).toObject();
    QCOMPARE(prices.value(QStringLiteral("source")).toString(), QStringLiteral("settings"));
    QCOMPARE(prices.value(QStringLiteral("fallback_usd_per_second")).toDouble(), 0.001);
    QCOMPARE(prices.value(QStringLiteral("models")).toObject().value(flux).toDouble(), 0.1);

    // Jobs: S0-S3 succeeded, F failed, C canceled, P running; O is older than the range.
    // Completion = 4 / (4 + 1).
    const QJsonObject jobs = root.value(QStringLiteral("jobs")).toObject();
    QCOMPARE(jobs.value(QStringLiteral("created")).toInt(), 7);
    QCOMPARE(jobs.value(QStringLiteral("succeeded")).toInt(), 4);
    QCOMPARE(jobs.value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(jobs.value(QStringLiteral("canceled")).toInt(), 1);
    QCOMPARE(jobs.value(QStringLiteral("needs_attention")).toInt(), 0);
    QCOMPARE(jobs.value(QStringLiteral("active")).toInt(), 1);
    QCOMPARE(jobs.value(QStringLiteral("completion_rate")).toDouble(), 0.8);

    // Failures, most attempts first, then by step, error type and model.
    const QJsonArray failures = root.value(QStringLiteral("failures")).toArray();
    QCOMPARE(failures.size(), 3);
    const auto failure = [&](int i, const char *step, const char *error, const QString &model,
                             int attempts, int jobCount, int failedNow) {
        const QJsonObject row = failures.at(i).toObject();
        QCOMPARE(row.value(QStringLiteral("step")).toString(), QLatin1String(step));
        QCOMPARE(row.value(QStringLiteral("error_type")).toString(), QLatin1String(error));
        QCOMPARE(row.value(QStringLiteral("model")).toString(), model);
        QCOMPARE(row.value(QStringLiteral("attempts")).toInt(), attempts);
        QCOMPARE(row.value(QStringLiteral("jobs")).toInt(), jobCount);
        QCOMPARE(row.value(QStringLiteral("jobs_failed")).toInt(), failedNow);
        QVERIFY(!row.value(QStringLiteral("last")).toString().isEmpty());
    };
    failure(0, "concept", "model_error", llama, 2, 1, 1);
    failure(1, "concept", "output_rejected", llama, 1, 1, 0);
    failure(2, "image", "output_missing", flux, 1, 1, 0);

    // Durations: concept × llama from the four samples above, nearest rank: p50 = the 2nd of
    // 4 sorted values, p95 = the 4th. Rows: concept×llama, image_prompt×{llama, other},
    // image×flux.
    const QJsonArray durations = root.value(QStringLiteral("durations")).toArray();
    QCOMPARE(durations.size(), 4);
    QJsonObject conceptRow;
    QStringList rows;
    for (const QJsonValue &v : durations) {
        const QJsonObject row = v.toObject();
        rows << row.value(QStringLiteral("step")).toString() + QLatin1Char('|')
                    + row.value(QStringLiteral("model")).toString();
        if (row.value(QStringLiteral("step")).toString() == QLatin1String("concept"))
            conceptRow = row;
    }
    QCOMPARE(rows, (QStringList{
                       QStringLiteral("concept|") + llama, QStringLiteral("image_prompt|") + other,
                       QStringLiteral("image_prompt|") + llama, QStringLiteral("image|") + flux}));
    const auto stat = [&](const char *kind, int samples, qint64 p50, qint64 p95) {
        const QJsonObject s = conceptRow.value(QLatin1String(kind)).toObject();
        QCOMPARE(s.value(QStringLiteral("samples")).toInt(), samples);
        QCOMPARE(qint64(s.value(QStringLiteral("p50_ms")).toDouble()), p50);
        QCOMPARE(qint64(s.value(QStringLiteral("p95_ms")).toDouble()), p95);
    };
    stat("queue", 4, 200, 400);     // {100, 200, 300, 400}
    stat("starting", 4, 300, 800);  // {100, 300, 500, 800}
    stat("running", 4, 2000, 4000); // {1000, 2000, 3000, 4000}
    stat("total", 4, 5000, 7000);   // {3000, 5000, 6000, 7000}

    // Retries: S1 concept and S3 image (both succeeded), F concept (failed): 2 of 3.
    const QJsonObject retries = root.value(QStringLiteral("retries")).toObject();
    QCOMPARE(retries.value(QStringLiteral("steps_retried")).toInt(), 3);
    QCOMPARE(retries.value(QStringLiteral("retried_succeeded")).toInt(), 2);
    QVERIFY(approx(retries.value(QStringLiteral("success_rate")).toDouble(), 2.0 / 3.0));

    // Predictions: 4×3 + S1's and S3's first attempts + F's two + C + P = 18 intents; all but
    // F's first got a prediction id; 12 succeeded, 4 failed, 1 canceled, 1 in flight.
    const QJsonObject predictions = root.value(QStringLiteral("predictions")).toObject();
    QCOMPARE(predictions.value(QStringLiteral("intents")).toInt(), 18);
    QCOMPARE(predictions.value(QStringLiteral("created")).toInt(), 17);
    QCOMPARE(predictions.value(QStringLiteral("succeeded")).toInt(), 12);
    QCOMPARE(predictions.value(QStringLiteral("failed")).toInt(), 4);
    QCOMPARE(predictions.value(QStringLiteral("canceled")).toInt(), 1);
    QCOMPARE(predictions.value(QStringLiteral("in_flight")).toInt(), 1);

    QCOMPARE(root.value(QStringLiteral("jobs_recovered")).toInt(), 2);
    QCOMPARE(root.value(QStringLiteral("stuck_now")).toInt(), 1);

    const QJsonObject webhooks = root.value(QStringLiteral("webhooks")).toObject();
    QCOMPARE(webhooks.value(QStringLiteral("received")).toInt(), 8);
    QCOMPARE(webhooks.value(QStringLiteral("verified")).toInt(), 3);
    QCOMPARE(webhooks.value(QStringLiteral("duplicates")).toInt(), 1);
    QCOMPARE(webhooks.value(QStringLiteral("late")).toInt(), 1);
    QCOMPARE(webhooks.value(QStringLiteral("rejected")).toInt(), 3);
    QCOMPARE(webhooks.value(QStringLiteral("dropped_then_polled")).toInt(), 1);
    const QJsonArray reasons = webhooks.value(QStringLiteral("rejected_by")).toArray();
    QCOMPARE(reasons.size(), 2);
    QCOMPARE(reasons.at(0).toObject().value(QStringLiteral("reason")).toString(),
             QStringLiteral("bad_signature"));
    QCOMPARE(reasons.at(0).toObject().value(QStringLiteral("count")).toInt(), 2);
    QCOMPARE(reasons.at(1).toObject().value(QStringLiteral("reason")).toString(),
             QStringLiteral("stale"));
    QCOMPARE(reasons.at(1).toObject().value(QStringLiteral("count")).toInt(), 1);

    const QJsonObject outputs = root.value(QStringLiteral("outputs")).toObject();
    QCOMPARE(outputs.value(QStringLiteral("validation_failures")).toInt(), 1);
    QCOMPARE(outputs.value(QStringLiteral("missing")).toInt(), 1);
    QCOMPARE(outputs.value(QStringLiteral("expired")).toInt(), 0);

    // Cost (llama $0.01/s, flux $0.10/s, other $0.001/s):
    //   S0 = 2×.01 + 1×.01 + 2×.1 = .23          S1 = (1.5 + 4)×.01 + .01 + .2 = .265
    //   S2 = .01 + 1×.001 + .2 = .211             S3 = .03 + .01 + (.5 + 2)×.1 = .29
    //   F = .3×.01 = .003                         total .999 over 24.3 s in 15 priced calls
    const QJsonObject cost = root.value(QStringLiteral("cost")).toObject();
    QVERIFY(approx(cost.value(QStringLiteral("total_usd")).toDouble(), 0.999));
    QVERIFY(approx(cost.value(QStringLiteral("predict_seconds")).toDouble(), 24.3));
    QCOMPARE(cost.value(QStringLiteral("priced_calls")).toInt(), 15);
    QCOMPARE(cost.value(QStringLiteral("unpriced_calls")).toInt(), 1); // C's
    // Per job: over the jobs of the range that ended (4 succeeded, 1 failed, 1 canceled).
    QCOMPARE(cost.value(QStringLiteral("jobs_with_cost")).toInt(), 6);
    QVERIFY(approx(cost.value(QStringLiteral("per_job_usd")).toDouble(), 0.999 / 6));
    const QJsonArray topJobs = cost.value(QStringLiteral("top_jobs")).toArray();
    QCOMPARE(topJobs.size(), 5);
    const double expectedTop[] = {0.29, 0.265, 0.23, 0.211, 0.003};
    for (int i = 0; i < 5; ++i)
        QVERIFY(approx(topJobs.at(i).toObject().value(QStringLiteral("usd")).toDouble(),
                       expectedTop[i]));
    QCOMPARE(topJobs.at(4).toObject().value(QStringLiteral("product")).toString(),
             QStringLiteral("Brisk Kettle"));
    const QJsonArray topBriefs = cost.value(QStringLiteral("top_briefs")).toArray();
    QCOMPARE(topBriefs.size(), 2);
    QCOMPARE(topBriefs.at(0).toObject().value(QStringLiteral("product")).toString(),
             QStringLiteral("Aurora Lamp"));
    QCOMPARE(topBriefs.at(0).toObject().value(QStringLiteral("jobs")).toInt(), 4);
    QVERIFY(approx(topBriefs.at(0).toObject().value(QStringLiteral("usd")).toDouble(), 0.996));
    QVERIFY(approx(topBriefs.at(1).toObject().value(QStringLiteral("usd")).toDouble(), 0.003));
    // Per local day: the days add up to the totals.
    double perDay = 0;
    for (const QJsonValue &v : cost.value(QStringLiteral("per_day")).toArray())
        perDay += v.toObject().value(QStringLiteral("usd")).toDouble();
    QVERIFY(approx(perDay, 0.999));
    int createdPerDay = 0;
    for (const QJsonValue &v : root.value(QStringLiteral("days")).toArray())
        createdPerDay += v.toObject().value(QStringLiteral("created")).toInt();
    QCOMPARE(createdPerDay, 7);
    // Today: the seeded calls since local midnight, against the $2 budget.
    const QJsonObject today = cost.value(QStringLiteral("today")).toObject();
    const QDateTime midnight = QDate::currentDate().startOfDay();
    double spentToday = 0;
    for (const auto &[intent, usd] : std::as_const(m_costs)) {
        if (intent >= midnight)
            spentToday += usd;
    }
    QVERIFY(approx(today.value(QStringLiteral("spent_usd")).toDouble(), spentToday));
    QCOMPARE(today.value(QStringLiteral("daily_budget_usd")).toDouble(), 2.0);
    QCOMPARE(
        QDateTime::fromString(today.value(QStringLiteral("since")).toString(), Qt::ISODateWithMs),
        midnight);
}

void TestCliStats::sinceFiltersOlderRecords()
{
    writeSettings(priceTable, 0);
    seedHistory();
    if (QTest::currentTestFailed())
        return;
    const auto stats = [this](const QString &since) {
        return jsonObject(runCli(data()
                                 + QStringList{QStringLiteral("stats"), QStringLiteral("--since"),
                                               since, QStringLiteral("--json")}));
    };
    // The last 25 minutes: S3 (20 min ago), F, C and P; not S0-S2 (50, 40, 30 min ago).
    const QJsonObject recent = stats(QStringLiteral("25m"));
    QCOMPARE(valueAt(recent, "jobs.created").toInt(), 4);
    QVERIFY(approx(valueAt(recent, "cost.total_usd").toDouble(), 0.293)); // .29 (S3) + .003 (F)
    // A week and everything: O (three days ago, $1.00) and its webhook delivery are in.
    for (const QString &since :
         {QStringLiteral("7d"), QStringLiteral("all"), QStringLiteral("1w")}) {
        const QJsonObject all = stats(since);
        QCOMPARE(valueAt(all, "range.since").toString(), since);
        QCOMPARE(valueAt(all, "jobs.created").toInt(), 8);
        QCOMPARE(valueAt(all, "jobs.succeeded").toInt(), 5);
        QVERIFY(approx(valueAt(all, "cost.total_usd").toDouble(), 1.999));
        QCOMPARE(valueAt(all, "webhooks.verified").toInt(), 4);
        QVERIFY(valueAt(all, "cost.today.daily_budget_usd").isNull()); // no budget set
    }
    // 48 hours: still without O.
    QCOMPARE(valueAt(stats(QStringLiteral("48h")), "jobs.created").toInt(), 7);
}

void TestCliStats::textReportHasEverySection()
{
    writeSettings(priceTable, 2.0);
    seedHistory();
    if (QTest::currentTestFailed())
        return;
    const Run run = runCli(data() + QStringList{QStringLiteral("stats")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const char *text : {"last 24h",
                             "Jobs",
                             "Completion rate",
                             "80.0 % (4 succeeded of 5 that ended)",
                             "Failures by step, error type and model",
                             "output_rejected",
                             "model_error",
                             "Durations per step and model",
                             "2.0 s / 4.0 s",
                             "5.0 s / 7.0 s",
                             "Retries",
                             "3 steps retried, 2 of them succeeded (66.7 %)",
                             "Predictions",
                             "Recovered after a restart",
                             "2 jobs",
                             "Stuck now",
                             "1 job (see: brieflow-cli stuck)",
                             "Webhooks",
                             "bad_signature",
                             "Dropped, then seen by polling",
                             "Outputs",
                             "Failed validation",
                             "Cost (your prices)",
                             "$1.00 for",
                             "of the $2.00 daily budget",
                             "Brisk Kettle",
                             "COSTLIEST JOBS"})
        QVERIFY2(run.out.contains(QLatin1String(text)), text);
    // Columns line up: each row of the failures table has its error type where the header has
    // ERROR TYPE, and its attempts right-aligned under ATTEMPTS.
    const QStringList lines = run.out.split(QLatin1Char('\n'));
    qsizetype header = -1;
    for (qsizetype i = 0; i < lines.size() && header < 0; ++i) {
        if (lines.at(i).trimmed().startsWith(QLatin1String("STEP")))
            header = i;
    }
    QVERIFY(header > 0 && header + 3 < lines.size());
    const qsizetype errorColumn = lines.at(header).indexOf(QLatin1String("ERROR TYPE"));
    const qsizetype attemptsEnd = lines.at(header).indexOf(QLatin1String("ATTEMPTS")) + 8;
    const char *errors[] = {"model_error", "output_rejected", "output_missing"};
    const char attempts[] = {'2', '1', '1'};
    for (int i = 0; i < 3; ++i) {
        const QString &row = lines.at(header + 1 + i);
        QVERIFY2(row.mid(errorColumn).startsWith(QLatin1String(errors[i])), qPrintable(row));
        QCOMPARE(row.at(attemptsEnd - 1), QLatin1Char(attempts[i]));
        QCOMPARE(row.at(attemptsEnd - 2), QLatin1Char(' '));
    }
}

void TestCliStats::emptyDataFolderSaysNone()
{
    m_raw.reset();
    m_store.reset();
    test::TempDataDir empty;
    const Run run = runCli({QStringLiteral("--data-dir"), empty.path(), QStringLiteral("stats")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QStringLiteral("none created in this range")));
    QVERIFY(run.out.count(QStringLiteral("  none\n")) >= 8);
    QVERIFY(run.out.contains(QStringLiteral("Cost (default prices)")));
    QVERIFY(!QFile::exists(empty.filePath(QStringLiteral("brieflow.sqlite3"))));
    const Run json = runCli({QStringLiteral("--data-dir"), empty.path(), QStringLiteral("stats"),
                             QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject root = jsonObject(json);
    QCOMPARE(valueAt(root, "jobs.created").toInt(), 0);
    QVERIFY(valueAt(root, "jobs.completion_rate").isNull());
    QCOMPARE(root.value(QStringLiteral("failures")).toArray().size(), 0);
}

void TestCliStats::badDurationsExitTwo_data()
{
    QTest::addColumn<QString>("since");
    QTest::addColumn<QString>("says");
    for (const char *bad : {"5x", "abc", "-3d", "3", "h", "1.5h", "24 hours"})
        QTest::newRow(bad) << QString::fromLatin1(bad) << QStringLiteral("such as 30m, 24h");
    QTest::newRow("zero") << QStringLiteral("0h") << QStringLiteral("above zero");
    QTest::newRow("too long") << QStringLiteral("9999999w") << QStringLiteral("--since all");
}

void TestCliStats::badDurationsExitTwo()
{
    QFETCH(QString, since);
    QFETCH(QString, says);
    const Run run = runCli(data()
                           + QStringList{QStringLiteral("stats"), QStringLiteral("--since"), since,
                                         QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(says), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestCliStats::badPriceTableWarnsAndUsesDefaults()
{
    writeSettings(QByteArrayLiteral("{\"models\": 3}"), 0);
    const JobId id = newJob(QStringLiteral("Aurora Lamp"), m_now.addSecs(-60));
    QVERIFY(!id.isNull());
    const StepRecord conceptStep = m_store->steps(id).value().at(0);
    Attempt a;
    a.model = flux; // flux by default: $0.003 a second
    a.predictTime = 2.0;
    a.intentAt = 10;
    a.completedAt = 2000;
    QVERIFY(addAttempt(id, conceptStep, m_now.addSecs(-60), a));

    const Run run = runCli(data() + QStringList{QStringLiteral("stats"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.contains(QStringLiteral("warning")), qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("default prices")));
    const QJsonObject root = jsonObject(run);
    QCOMPARE(valueAt(root, "prices.source").toString(), QStringLiteral("defaults"));
    QVERIFY(approx(valueAt(root, "cost.total_usd").toDouble(),
                   2.0 * PriceTable::defaults().usdPerSecond(flux)));
}

void TestCliStats::etaAndCostInListAndShow()
{
    // One job at a time: the second queued job waits one whole job (16 s) before its own 16 s.
    writeSettings({}, 0, 1);
    const JobId first = newJob(QStringLiteral("Aurora Lamp"), m_now.addSecs(-120));
    const JobId second = newJob(QStringLiteral("Aurora Lamp"), m_now.addSecs(-110));
    QVERIFY(!first.isNull() && !second.isNull());
    const auto listed = [this]() {
        QHash<QString, QJsonObject> byId;
        const Run run =
            runCli(data() + QStringList{QStringLiteral("list"), QStringLiteral("--json")});
        for (const QJsonValue &v : QJsonDocument::fromJson(run.out.toUtf8()).array())
            byId.insert(v.toObject().value(QStringLiteral("id")).toString(), v.toObject());
        return byId;
    };

    // No history yet: no estimate, and no guess.
    auto jobs = listed();
    QVERIFY(jobs.value(first.toString()).contains(QStringLiteral("eta_ms")));
    QVERIFY(jobs.value(first.toString()).value(QStringLiteral("eta_ms")).isNull());
    QVERIFY(jobs.value(second.toString()).value(QStringLiteral("eta_ms")).isNull());
    Run text = runCli(data() + QStringList{QStringLiteral("list")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QStringLiteral("ETA")));
    QVERIFY(text.out.contains(QStringLiteral("no estimate yet")));
    Run show = runCli(data() + QStringList{QStringLiteral("show"), first.toString()});
    QVERIFY(show.out.contains(QStringLiteral("ETA      no estimate yet")));
    QVERIFY(show.out.contains(QStringLiteral("Cost     $0.00 so far")));

    // History: one finished job; concept 5 s, image prompt 3 s, images 8 s (from when each step
    // could start to its end); the store step is local. predict_time 2 + 1 + 4 s.
    const JobId done = succeededJob(m_now.addSecs(-100), {ok(llama, 2.0, 100, 5000)},
                                    {ok(llama, 1.0, 5100, 8000)}, {ok(flux, 4.0, 8100, 16000)});
    QVERIFY(!done.isNull());

    jobs = listed();
    QCOMPARE(jobs.value(first.toString()).value(QStringLiteral("eta_ms")).toDouble(), 16000.0);
    QCOMPARE(jobs.value(second.toString()).value(QStringLiteral("eta_ms")).toDouble(), 32000.0);
    QVERIFY(!jobs.value(done.toString()).contains(QStringLiteral("eta_ms")));
    text = runCli(data() + QStringList{QStringLiteral("list")});
    QVERIFY(text.out.contains(QStringLiteral("about 16 s")));
    QVERIFY(text.out.contains(QStringLiteral("about 32 s")));

    show = runCli(
        data() + QStringList{QStringLiteral("show"), second.toString(), QStringLiteral("--json")});
    QCOMPARE(show.exitCode, 0);
    QCOMPARE(jsonObject(show).value(QStringLiteral("eta_ms")).toDouble(), 32000.0);
    QCOMPARE(jsonObject(show).value(QStringLiteral("cost_usd")).toDouble(), 0.0);
    // The finished job's cost at the default prices; no ETA.
    show = runCli(data()
                  + QStringList{QStringLiteral("show"), done.toString(), QStringLiteral("--json")});
    const PriceTable defaults = PriceTable::defaults();
    QVERIFY(approx(jsonObject(show).value(QStringLiteral("cost_usd")).toDouble(),
                   3.0 * defaults.usdPerSecond(llama) + 4.0 * defaults.usdPerSecond(flux)));
    QVERIFY(!jsonObject(show).contains(QStringLiteral("eta_ms")));
    show = runCli(data() + QStringList{QStringLiteral("show"), second.toString()});
    QVERIFY2(show.out.contains(QStringLiteral("ETA      about 32 s")), qPrintable(show.out));

    // The settings' models count: an image model without history has no estimate.
    writeSettings({}, 0, 1, QStringLiteral("acme/painter"));
    jobs = listed();
    QVERIFY(jobs.value(first.toString()).value(QStringLiteral("eta_ms")).isNull());
}

QTEST_GUILESS_MAIN(TestCliStats)
#include "tst_clistats.moc"
