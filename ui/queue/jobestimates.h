// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>

#include "core/brief/brief.h"
#include "core/monitoring/eta.h"
#include "core/monitoring/pricetable.h"
#include "core/store/records.h"

namespace brieflow {
class JobStore;
class Settings;
struct Workflow;
} // namespace brieflow

namespace brieflow::ui {

/**
 * Where the window's estimates come from: when queued and running jobs should be done (ETA),
 * what a brief or a batch is likely to cost before it is queued, and what a job cost so far.
 * One per window, shared by the queue, the job pane, the brief form and the CSV import.
 *
 * The step history (JobStore::stepHistory()) changes slowly, so it is read at most every
 * historyMaxAgeMs; the models, the jobs at once and the prices come from the settings
 * (applySettings(), again whenever they are saved). It never guesses: nullopt means "no
 * estimate yet" (a model of the workflow without a finished step).
 *
 * Images: the image step is one prediction whatever the number of images, and its
 * predict_time grows with them. The history knows the step, not the image count, so the cost
 * of a brief counts the image step's median predict_time once per image asked for (a
 * one-image job from history is the unit) — for a history of four-image jobs that is on the
 * high side, never below.
 */
class JobEstimates final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobEstimates)

public:
    static constexpr int historyMaxAgeMs = 10'000;

    /** @p store: a store on the GUI thread; it must outlive this object. Uses the default
     *  workflow with its own models, one job at a time and the default prices until
     *  applySettings(). */
    explicit JobEstimates(JobStore &store, QObject *parent = nullptr);
    ~JobEstimates() override;

    /** Models (the settings' over the workflow's), jobs at once and prices from @p settings. */
    void applySettings(const Settings &settings);
    void setStepModels(const QHash<QString, QString> &stepModels);
    void setConcurrentJobs(int jobs);
    void setPrices(const PriceTable &prices);

    const QHash<QString, QString> &stepModels() const { return m_stepModels; }
    const QStringList &stepOrder() const { return m_stepOrder; }
    int concurrentJobs() const { return m_concurrentJobs; }
    const PriceTable &prices() const { return m_prices; }

    /** "now" for running steps (tests set a fixed clock). */
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    QDateTime now() const { return m_now(); }
    /** The next question reads the history again. */
    void invalidate();

    /** The step history, read again when older than historyMaxAgeMs; empty when it can't be
     *  read (lastError() says why). */
    const QList<StepHistory> &history();
    QString lastError() const { return m_lastError; }

    /** When a job with @p steps and @p ahead jobs before it should be done; nullopt: no
     *  estimate yet. */
    std::optional<qint64> remainingMs(const QList<StepRecord> &steps, int ahead);
    /** remainingMs() for @p job, plus the wait for its backoff when a retry waits (run_after). */
    std::optional<qint64> remainingMs(const JobRecord &job, const QList<StepRecord> &steps,
                                      int ahead);
    /** A queued job's steps as far as @p progress tells: the first stepsSucceeded steps of the
     *  workflow done, the rest waiting (no store read; for pending jobs). */
    QList<StepRecord> stepsFromProgress(const JobProgress &progress) const;

    /** What queuing @p briefs would cost; nullopt: no estimate yet. */
    std::optional<double> estimateCost(const QList<Brief> &briefs);
    /** "12 jobs · estimated cost about $0.42", or why there is no estimate yet. */
    QString costEstimateText(const QList<Brief> &briefs);
    /** What @p job cost so far (0 with no priced call); nullopt when the store can't say. */
    std::optional<double> jobCost(const JobId &job);

Q_SIGNALS:
    /** Models, jobs at once or prices changed: estimates shown must be computed again. */
    void changed();
    /** The history read again differs from the last one (a step finished since). */
    void historyChanged();

private:
    void rebuildEstimator();

    JobStore &m_store;
    QHash<QString, QString> m_stepModels;
    QStringList m_stepOrder;
    QString m_imageStep; ///< the workflow's image step (its cost counts per image)
    int m_concurrentJobs = 1;
    PriceTable m_prices;
    std::function<QDateTime()> m_now;
    QList<StepHistory> m_history;
    QElapsedTimer m_historyAge;
    std::optional<EtaEstimator> m_estimator;
    QString m_lastError;
};

} // namespace brieflow::ui
