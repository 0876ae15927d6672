// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include "core/monitoring/figures.h"
#include "core/util/ids.h"

namespace brieflow::ui {

/** A job flagged stuck right now, as the Monitoring view lists it. */
struct StuckJobRow {
    JobId job;
    QString product; ///< the brief's product name
    QString step;    ///< the step the job is on
    QString reason;  ///< the engine's words
    QDateTime since;
};

/** Everything one refresh of the Monitoring view read, or why it could not. */
struct MonitorSnapshot {
    quint64 generation = 0;
    std::optional<MonitoringFigures> figures; ///< nullopt: see error
    QList<StuckJobRow> stuck;
    std::optional<double> spentTodayUsd; ///< since the start of the local day
    QString error;                       ///< plain words; empty when the read worked
    QDateTime readAt;
};

/**
 * Reads the Monitoring view's figures off the GUI thread: each request runs on the loader's own
 * worker, which opens its own read-only JobStore on the database file (a JobStore belongs to
 * the thread that opened it), and reports back on the loader's thread. Only the newest request
 * is reported: a result overtaken by a later request is dropped.
 */
class MonitorLoader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MonitorLoader)

public:
    explicit MonitorLoader(QString databaseFile, QObject *parent = nullptr);
    /** Waits for a read still running (it is bounded by the store's own timeouts). */
    ~MonitorLoader() override;

    /** Starts reading @p query's figures (and the stuck jobs and today's spend, priced with
     *  query.prices); returns the request's generation. loaded() follows. */
    quint64 load(const MonitoringQuery &query);
    /** True while the newest request has not been reported yet. */
    bool isLoading() const { return m_reported < m_generation; }
    quint64 generation() const { return m_generation; }

    /** Looks up the jobs behind one failure row (JobStore::jobsWithFailure); jobsFound() or
     *  problem() follows. */
    void findFailureJobs(const MonitoringQuery &query, const QString &step,
                         const QString &errorType, const QString &model, const QString &label);

Q_SIGNALS:
    /** The newest request's result (older ones are dropped). */
    void loaded(const brieflow::ui::MonitorSnapshot &snapshot);
    void jobsFound(const QList<brieflow::JobId> &jobs, const QString &label);
    void problem(const QString &message);

private:
    QString m_databaseFile;
    quint64 m_generation = 0;
    quint64 m_reported = 0;
    QThreadPool m_pool; ///< one worker: requests run in order; waited for on destruction
};

} // namespace brieflow::ui
