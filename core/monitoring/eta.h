// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/monitoring/pricetable.h"
#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {

class JobStore;
struct Workflow;

/** The model each step of @p workflow uses now: @p overrides (the settings' models, step name →
 *  model ref) over the workflow's own; local steps map to an empty string. */
QHash<QString, QString> stepModelsOf(const Workflow &workflow,
                                     const QHash<QString, QString> &overrides);

/**
 * Estimates when queued and running jobs finish from what their steps' models took before
 * (JobStore::stepHistory(): medians of recent successes) and their place in the queue. It never
 * guesses: when a step still to run has a model without history, there is no estimate.
 *
 * A job's own remaining time is the sum of its unfinished steps' median totals (a running step
 * counts what is left of its median, at least a tenth of it: a step past its median is "nearly
 * done", not done). A job with jobs ahead of it waits for them too: the jobs ahead run
 * concurrentJobs at a time, each taking the median job time, so it waits
 * floor(ahead ÷ concurrentJobs) rounds of that. Jobs waiting for the user (needs attention,
 * failed) have no estimate: they won't finish by themselves.
 */
class EtaEstimator {
public:
    /** @p stepModels: the model each step of the workflow uses now (step name → model ref);
     *  a step without one (the store step) runs locally and counts as instant. @p stepOrder:
     *  the workflow's step names in order. */
    EtaEstimator(QList<StepHistory> history, QHash<QString, QString> stepModels,
                 QStringList stepOrder, int concurrentJobs);
    /** With the store's history (JobStore::stepHistory()). */
    static Result<EtaEstimator, StoreError> load(const JobStore &store,
                                                 QHash<QString, QString> stepModels,
                                                 QStringList stepOrder, int concurrentJobs);

    /** How long a whole job takes with the current models; nullopt: no estimate yet. */
    std::optional<qint64> jobMs() const;
    /** How long until a job with these @p steps finishes when @p ahead pending or processing
     *  jobs are before it in the queue; nullopt: no estimate yet. Finished jobs: 0. */
    std::optional<qint64> remainingMs(const QList<StepRecord> &steps, int ahead,
                                      const QDateTime &now) const;
    /** The median total of @p step with its current model, if it has history. */
    std::optional<qint64> stepMs(const QString &step) const;

private:
    QHash<QString, qint64> m_medianMs; ///< "step\x1fmodel" → median total
    QHash<QString, QString> m_stepModels;
    QStringList m_stepOrder;
    int m_concurrentJobs = 1;
};

/** "about 40 s", "about 3 min", "about 1 h 20 min"; "no estimate yet" for nullopt. */
QString formatEta(std::optional<qint64> ms);

/**
 * What one more job is likely to cost with the current models: each step's median predict_time
 * × its model's price. nullopt when a step's model has no successes with a predict_time yet.
 */
std::optional<double> estimateJobCost(const QList<StepHistory> &history,
                                      const QHash<QString, QString> &stepModels,
                                      const QStringList &stepOrder, const PriceTable &prices);

} // namespace brieflow
