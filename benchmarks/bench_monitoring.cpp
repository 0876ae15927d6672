// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// bench_monitoring: how long the Monitoring view's figures take on a big job database (issue 8:
// 100,000 jobs ready in ≤ 300 ms). Seeds 100,000 jobs over 30 days — three steps each, a tenth
// with a failed attempt and a retry, 2 % still queued, webhook deliveries and "recovered"
// events — straight into SQLite in one transaction (the benchmark's own SQL: seeding through
// JobStore would take an hour), then times JobStore::monitoringFigures() through a read-only
// store, cold and warm, for "all time" and the last 7 days, plus the smaller reads the app
// makes often (stepHistory for ETAs, spendSince for the budget, jobsAhead for a queue page).
// The figures are read the way the view and `brieflow-cli stats` read them:
// readMonitoringFigures(), two read-only connections at once.
// Prints one JSON object. `--quick`: 5,000 jobs (the CI smoke run); `--keep`: leave the
// database behind; `--database FILE`: time an existing database instead of seeding one.
#include <algorithm>
#include <cstdio>
#include <random>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include "core/store/jobstore.h"
#include "core/util/ids.h"

using namespace brieflow;

namespace {

const QString llama = QStringLiteral("meta/meta-llama-3-8b-instruct");
const QString flux = QStringLiteral("black-forest-labs/flux-schnell");

bool execOrDie(QSqlQuery &query)
{
    if (!query.exec()) {
        std::fprintf(stderr, "seed failed: %s\n", qPrintable(query.lastError().text()));
        return false;
    }
    return true;
}

/** Seeds @p jobs jobs into @p file (already at the current schema). Returns the call count. */
qint64 seed(const QString &file, int jobs, qint64 nowMs)
{
    qint64 calls = 0;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("seed"));
        db.setDatabaseName(file);
        if (!db.open()) {
            std::fprintf(stderr, "cannot open %s\n", qPrintable(file));
            return -1;
        }
        QSqlQuery pragma(db);
        pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        db.transaction();
        QSqlQuery job(db), step(db), call(db), event(db), hook(db);
        job.prepare(QStringLiteral(
            "INSERT INTO jobs (id, workflow_type, status, input_payload, queue_position, "
            "created_at, updated_at) VALUES (?, 'campaign_asset', ?, ?, ?, ?, ?)"));
        step.prepare(QStringLiteral(
            "INSERT INTO job_steps (id, job_id, step_name, ordinal, status, attempt_count, "
            "error_type, started_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        call.prepare(QStringLiteral(
            "INSERT INTO provider_calls (id, job_id, step_id, attempt, model_ref, input_sha256, "
            "prediction_id, state, metrics, created_at, submitted_at, updated_at, completed_at, "
            "error_type, predict_time, step_name, brief, queue_ms, starting_ms, running_ms, "
            "total_ms) VALUES (?, ?, ?, ?, ?, 'sha', ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?)"));
        event.prepare(QStringLiteral(
            "INSERT INTO events (job_id, time, kind, message) VALUES (?, ?, 'recovered', 'r')"));
        hook.prepare(QStringLiteral(
            "INSERT INTO webhook_deliveries (received_at, outcome, reason) VALUES (?, ?, ?)"));

        std::mt19937_64 random(42);
        std::uniform_int_distribution<qint64> spread(0, 30LL * 86'400'000);
        std::uniform_int_distribution<int> percent(0, 99);
        std::uniform_int_distribution<int> ms(500, 9000);
        const QStringList steps = {QStringLiteral("concept"), QStringLiteral("image_prompt"),
                                   QStringLiteral("images")};
        for (int i = 0; i < jobs; ++i) {
            const QString jobId = JobId::generate().toString();
            const qint64 created = nowMs - spread(random);
            const bool queued = percent(random) < 2;
            const bool retried = percent(random) < 10;
            const bool failed = retried && percent(random) < 30;
            const QString status =
                queued ? QStringLiteral("pending")
                       : (failed ? QStringLiteral("failed") : QStringLiteral("succeeded"));
            const QString brief = QStringLiteral("{\"audience\":\"a%1\",\"product_name\":\"P%2\"}")
                                      .arg(i % 50)
                                      .arg(i % 700);
            job.addBindValue(jobId);
            job.addBindValue(status);
            job.addBindValue(brief);
            job.addBindValue(i + 1);
            job.addBindValue(created);
            job.addBindValue(created);
            if (!execOrDie(job))
                return -1;
            qint64 t = created;
            for (int s = 0; s < steps.size(); ++s) {
                const QString stepId = StepId::generate().toString();
                const bool retryHere = retried && s == 2;
                const bool failsHere = failed && s == 2;
                const int attempts = queued ? 0 : (retryHere ? 2 : 1);
                const qint64 startedAt = t + 100;
                const qint64 ready = t;
                for (int a = 1; a <= attempts; ++a) {
                    const bool ok = !(retryHere && (a == 1 || failsHere));
                    const qint64 intent = t + ms(random) / 10;
                    const qint64 providerCreated = intent + 300;
                    const qint64 providerStarted = providerCreated + ms(random) / 5;
                    const double predict = ms(random) / 1000.0;
                    const qint64 done = providerStarted + qint64(predict * 1000) + 200;
                    call.addBindValue(ProviderCallId::generate().toString());
                    call.addBindValue(jobId);
                    call.addBindValue(stepId);
                    call.addBindValue(a);
                    call.addBindValue(s == 2 ? flux : llama);
                    call.addBindValue(QStringLiteral("p%1").arg(++calls));
                    call.addBindValue(ok ? QStringLiteral("succeeded") : QStringLiteral("failed"));
                    call.addBindValue(intent);
                    call.addBindValue(intent + 300);
                    call.addBindValue(done);
                    call.addBindValue(done);
                    call.addBindValue(ok ? QVariant(QMetaType::fromType<QString>())
                                         : QVariant(QStringLiteral("output_rejected")));
                    call.addBindValue(predict);
                    call.addBindValue(steps.at(s));
                    call.addBindValue(QStringLiteral("P%1\x1f"
                                                     "a%2")
                                          .arg(i % 700)
                                          .arg(i % 50));
                    const QVariant none(QMetaType::fromType<qlonglong>());
                    const qint64 readyNow = a == 1 ? ready : t;
                    call.addBindValue(ok ? QVariant(intent - readyNow) : none);
                    call.addBindValue(providerStarted - providerCreated);
                    call.addBindValue(qRound64(predict * 1000));
                    call.addBindValue(ok ? QVariant(done - readyNow) : none);
                    if (!execOrDie(call))
                        return -1;
                    t = done;
                }
                step.addBindValue(stepId);
                step.addBindValue(jobId);
                step.addBindValue(steps.at(s));
                step.addBindValue(s);
                step.addBindValue(
                    queued ? QStringLiteral("pending")
                           : (failsHere ? QStringLiteral("failed") : QStringLiteral("succeeded")));
                step.addBindValue(attempts);
                step.addBindValue(failsHere ? QVariant(QStringLiteral("output_rejected"))
                                            : QVariant(QMetaType::fromType<QString>()));
                step.addBindValue(queued ? QVariant(QMetaType::fromType<qlonglong>())
                                         : QVariant(startedAt));
                step.addBindValue(queued ? QVariant(QMetaType::fromType<qlonglong>())
                                         : QVariant(t));
                if (!execOrDie(step))
                    return -1;
            }
            if (percent(random) < 1) {
                event.addBindValue(jobId);
                event.addBindValue(created + 1000);
                if (!execOrDie(event))
                    return -1;
            }
            // About two deliveries per prediction, a few rejected.
            for (int d = 0; d < 2 * steps.size() && !queued; ++d) {
                const int p = percent(random);
                hook.addBindValue(created + d * 1000);
                hook.addBindValue(p < 90   ? QStringLiteral("verified")
                                  : p < 95 ? QStringLiteral("duplicate")
                                           : QStringLiteral("rejected"));
                hook.addBindValue(p < 95 ? QVariant(QMetaType::fromType<QString>())
                                         : QVariant(QStringLiteral("bad_signature")));
                if (!execOrDie(hook))
                    return -1;
            }
        }
        for (QSqlQuery *q : {&pragma, &job, &step, &call, &event, &hook})
            q->finish();
        if (!db.commit()) {
            std::fprintf(stderr, "seed commit failed: %s\n", qPrintable(db.lastError().text()));
            return -1;
        }
        QSqlQuery analyze(db);
        analyze.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("seed"));
    return calls;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const int jobs = quick ? 5'000 : 100'000;
    QTemporaryDir dir;
    // --keep: leave the seeded database behind (its path on stderr) to study query plans.
    dir.setAutoRemove(!app.arguments().contains(QStringLiteral("--keep")));
    if (!dir.autoRemove())
        std::fprintf(stderr, "database: %s\n",
                     qPrintable(dir.filePath(QStringLiteral("bench.sqlite3"))));
    QString file = dir.filePath(QStringLiteral("bench.sqlite3"));
    {
        auto created = JobStore::open(file, JobStore::Mode::Writer);
        if (!created) {
            qCritical("cannot create the database: %s", qPrintable(created.error().message));
            return 1;
        }
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QElapsedTimer seedTimer;
    seedTimer.start();
    // --database FILE: time an existing database (one left by --keep) instead of seeding.
    const qsizetype given = app.arguments().indexOf(QStringLiteral("--database"));
    if (given > 0 && given + 1 < app.arguments().size())
        file = app.arguments().at(given + 1);
    const qint64 calls = given > 0 ? -2 : seed(file, jobs, now.toMSecsSinceEpoch());
    if (calls == -1)
        return 1;
    const qint64 seedMs = seedTimer.elapsed();

    auto opened = JobStore::open(file, JobStore::Mode::Reader);
    if (!opened) {
        qCritical("cannot open the database: %s", qPrintable(opened.error().message));
        return 1;
    }
    JobStore &store = **opened;

    auto time = [&](const MonitoringQuery &query, int runs, double *cold, int *jobsSeen) {
        QList<double> warm;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer t;
            t.start();
            const auto figures = readMonitoringFigures(file, query);
            const double ms = double(t.nsecsElapsed()) / 1e6;
            if (!figures) {
                qCritical("figures failed: %s", qPrintable(figures.error().detail));
                return -1.0;
            }
            *jobsSeen = figures->completion.jobs;
            if (i == 0)
                *cold = ms;
            else
                warm << ms;
        }
        return median(warm);
    };
    MonitoringQuery all;
    all.from = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    all.to = now.addSecs(60);
    all.prices = PriceTable::defaults();
    MonitoringQuery week = all;
    week.from = now.addDays(-7);
    MonitoringQuery day = all;
    day.from = now.addDays(-1);
    double allCold = 0, weekCold = 0, dayCold = 0;
    int allJobs = 0, weekJobs = 0, dayJobs = 0;
    const double allWarm = time(all, 6, &allCold, &allJobs);
    const double weekWarm = time(week, 6, &weekCold, &weekJobs);
    const double dayWarm = time(day, 6, &dayCold, &dayJobs);
    if (allWarm < 0 || weekWarm < 0 || dayWarm < 0)
        return 1;

    auto timeOne = [](const std::function<bool()> &work) {
        QList<double> runs;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            if (!work())
                return -1.0;
            runs << double(t.nsecsElapsed()) / 1e6;
        }
        return median(runs);
    };
    const double historyMs = timeOne([&] { return bool(store.stepHistory(20)); });
    const double spendMs =
        timeOne([&] { return bool(store.spendSince(now.addDays(-1), PriceTable::defaults())); });
    JobQuery queued;
    queued.status = JobStatus::Pending;
    queued.limit = 200;
    QList<JobId> page;
    for (const JobRecord &job : store.jobs(queued).valueOr(QList<JobRecord>()))
        page << job.id;
    const double aheadMs = timeOne([&] { return bool(store.jobsAhead(page)); });

    const QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("monitoring")},
        {QStringLiteral("jobs"), jobs},
        {QStringLiteral("provider_calls"), calls},
        {QStringLiteral("seed_ms"), seedMs},
        {QStringLiteral("all_time"), QJsonObject{{QStringLiteral("jobs_in_range"), allJobs},
                                                 {QStringLiteral("cold_ms"), allCold},
                                                 {QStringLiteral("warm_p50_ms"), allWarm}}},
        {QStringLiteral("last_7_days"), QJsonObject{{QStringLiteral("jobs_in_range"), weekJobs},
                                                    {QStringLiteral("cold_ms"), weekCold},
                                                    {QStringLiteral("warm_p50_ms"), weekWarm}}},
        {QStringLiteral("last_24_hours"), QJsonObject{{QStringLiteral("jobs_in_range"), dayJobs},
                                                      {QStringLiteral("cold_ms"), dayCold},
                                                      {QStringLiteral("warm_p50_ms"), dayWarm}}},
        {QStringLiteral("step_history_ms"), historyMs},
        {QStringLiteral("spend_today_ms"), spendMs},
        {QStringLiteral("jobs_ahead_page_of_200_ms"), aheadMs},
        {QStringLiteral("queue_page_jobs"), int(page.size())},
        {QStringLiteral("targets"), QJsonObject{{QStringLiteral("figures_100k_jobs_ms"), 300}}},
    };
    std::fputs(QJsonDocument(out).toJson(QJsonDocument::Indented).constData(), stdout);
    return 0;
}
