// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/monitor/monitorloader.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QTime>
#include <QtConcurrent>

#include "core/brief/briefjson.h"
#include "core/store/jobstore.h"

namespace brieflow::ui {

namespace {

QString productOf(const JobRecord &job)
{
    const auto brief = briefFromJson(job.inputPayload);
    return brief ? brief.value().productName : QString();
}

QString plainStoreError(const QString &message)
{
    return QCoreApplication::translate("brieflow::ui::MonitorLoader",
                                       "Brieflow couldn't read the job database: %1")
        .arg(message);
}

MonitorSnapshot readSnapshot(const QString &databaseFile, const MonitoringQuery &query,
                             quint64 generation)
{
    MonitorSnapshot s;
    s.generation = generation;
    s.readAt = QDateTime::currentDateTimeUtc();
    auto store = JobStore::open(databaseFile, JobStore::Mode::Reader);
    if (!store) {
        s.error = plainStoreError(store.error().message);
        return s;
    }
    JobStore &db = **store;
    // Two read-only connections at once: counts on one, durations and the costliest jobs on
    // the other (this thread waits for both).
    auto figures = readMonitoringFigures(databaseFile, query);
    if (!figures) {
        s.error = plainStoreError(figures.error().message);
        return s;
    }
    s.figures = std::move(figures).value();
    auto stuck = db.stuckJobs(50);
    if (!stuck) {
        s.error = plainStoreError(stuck.error().message);
        return s;
    }
    for (const JobRecord &job : stuck.value())
        s.stuck << StuckJobRow{job.id, productOf(job), job.currentStep, job.stuckReason,
                               job.stuckSince};
    const QDateTime today = QDateTime(QDate::currentDate(), QTime(0, 0)).toUTC();
    if (auto spent = db.spendSince(today, query.prices))
        s.spentTodayUsd = spent.value();
    else
        s.error = plainStoreError(spent.error().message);
    return s;
}

struct FoundJobs {
    QList<JobId> jobs;
    QString error;
};

} // namespace

MonitorLoader::MonitorLoader(QString databaseFile, QObject *parent)
    : QObject(parent)
    , m_databaseFile(std::move(databaseFile))
{
    m_pool.setMaxThreadCount(1);
    qRegisterMetaType<brieflow::ui::MonitorSnapshot>();
}

MonitorLoader::~MonitorLoader()
{
    m_pool.waitForDone();
}

quint64 MonitorLoader::load(const MonitoringQuery &query)
{
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<MonitorSnapshot>(this);
    connect(watcher, &QFutureWatcher<MonitorSnapshot>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const MonitorSnapshot snapshot = watcher->result();
        if (snapshot.generation != m_generation)
            return; // a newer request was made meanwhile
        m_reported = snapshot.generation;
        Q_EMIT loaded(snapshot);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [file = m_databaseFile, query, generation] {
        return readSnapshot(file, query, generation);
    }));
    return generation;
}

void MonitorLoader::findFailureJobs(const MonitoringQuery &query, const QString &step,
                                    const QString &errorType, const QString &model,
                                    const QString &label)
{
    auto *watcher = new QFutureWatcher<FoundJobs>(this);
    connect(watcher, &QFutureWatcher<FoundJobs>::finished, this, [this, watcher, label] {
        watcher->deleteLater();
        const FoundJobs found = watcher->result();
        if (!found.error.isEmpty())
            Q_EMIT problem(found.error);
        else
            Q_EMIT jobsFound(found.jobs, label);
    });
    watcher->setFuture(
        QtConcurrent::run(&m_pool, [file = m_databaseFile, query, step, errorType, model] {
            FoundJobs found;
            auto store = JobStore::open(file, JobStore::Mode::Reader);
            if (!store) {
                found.error = plainStoreError(store.error().message);
                return found;
            }
            auto jobs = (*store)->jobsWithFailure(query, step, errorType, model);
            if (jobs)
                found.jobs = std::move(jobs).value();
            else
                found.error = plainStoreError(jobs.error().message);
            return found;
        }));
}

} // namespace brieflow::ui
