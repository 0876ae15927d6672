// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/queue/jobestimates.h"

#include <algorithm>

#include "core/app/jobsubmission.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"

namespace brieflow::ui {

JobEstimates::JobEstimates(JobStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_prices(PriceTable::defaults())
    , m_now([] { return QDateTime::currentDateTimeUtc(); })
{
    if (const auto workflow = builtinWorkflow(defaultWorkflowId())) {
        for (const StepDefinition &step : workflow->steps) {
            m_stepOrder << step.name;
            if (step.kind == StepKind::Image && m_imageStep.isEmpty())
                m_imageStep = step.name;
        }
        m_stepModels = stepModelsOf(*workflow, {});
    }
    rebuildEstimator();
}

JobEstimates::~JobEstimates() = default;

void JobEstimates::applySettings(const Settings &settings)
{
    QHash<QString, QString> models;
    if (const auto workflow = builtinWorkflow(defaultWorkflowId()))
        models = stepModelsOf(*workflow, modelOverrides(settings));
    const int jobs = std::max(1, settings.value(Settings::MaxConcurrentJobs));
    const PriceTable prices = modelPrices(settings);
    if (models == m_stepModels && jobs == m_concurrentJobs && prices == m_prices)
        return;
    m_stepModels = models;
    m_concurrentJobs = jobs;
    m_prices = prices;
    rebuildEstimator();
    Q_EMIT changed();
}

void JobEstimates::setStepModels(const QHash<QString, QString> &stepModels)
{
    if (stepModels == m_stepModels)
        return;
    m_stepModels = stepModels;
    rebuildEstimator();
    Q_EMIT changed();
}

void JobEstimates::setConcurrentJobs(int jobs)
{
    jobs = std::max(1, jobs);
    if (jobs == m_concurrentJobs)
        return;
    m_concurrentJobs = jobs;
    rebuildEstimator();
    Q_EMIT changed();
}

void JobEstimates::setPrices(const PriceTable &prices)
{
    if (prices == m_prices)
        return;
    m_prices = prices;
    Q_EMIT changed();
}

void JobEstimates::invalidate()
{
    m_historyAge.invalidate();
}

const QList<StepHistory> &JobEstimates::history()
{
    if (m_historyAge.isValid() && m_historyAge.elapsed() < historyMaxAgeMs)
        return m_history;
    m_historyAge.start(); // a failing store is asked again after the same while, not per row
    auto read = m_store.stepHistory();
    QList<StepHistory> fresh;
    if (read) {
        fresh = std::move(read).value();
        m_lastError.clear();
    } else {
        m_lastError = read.error().message;
    }
    const auto same = [](const StepHistory &a, const StepHistory &b) {
        return a.step == b.step && a.model == b.model && a.samples == b.samples
               && a.medianTotalMs == b.medianTotalMs
               && a.medianPredictSeconds == b.medianPredictSeconds;
    };
    const bool changedHistory =
        fresh.size() != m_history.size()
        || !std::equal(fresh.cbegin(), fresh.cend(), m_history.cbegin(), same);
    m_history = std::move(fresh);
    rebuildEstimator();
    if (changedHistory)
        Q_EMIT historyChanged();
    return m_history;
}

void JobEstimates::rebuildEstimator()
{
    m_estimator.emplace(m_history, m_stepModels, m_stepOrder, m_concurrentJobs);
}

std::optional<qint64> JobEstimates::remainingMs(const QList<StepRecord> &steps, int ahead)
{
    history(); // fresh enough
    return m_estimator->remainingMs(steps, ahead, now());
}

std::optional<qint64> JobEstimates::remainingMs(const JobRecord &job,
                                                const QList<StepRecord> &steps, int ahead)
{
    auto ms = remainingMs(steps, ahead);
    // A retry waiting for its backoff starts no sooner.
    if (const QDateTime t = now(); ms && job.runAfter > t)
        *ms += t.msecsTo(job.runAfter);
    return ms;
}

QList<StepRecord> JobEstimates::stepsFromProgress(const JobProgress &progress) const
{
    QList<StepRecord> steps;
    steps.reserve(m_stepOrder.size());
    for (int i = 0; i < m_stepOrder.size(); ++i) {
        StepRecord step;
        step.name = m_stepOrder.at(i);
        step.ordinal = i;
        step.status = i < progress.stepsSucceeded ? StepStatus::Succeeded : StepStatus::Pending;
        steps << step;
    }
    return steps;
}

std::optional<double> JobEstimates::estimateCost(const QList<Brief> &briefs)
{
    const QList<StepHistory> &known = history();
    // One job without its image step, and the image step's price for one image.
    QStringList textSteps = m_stepOrder;
    textSteps.removeAll(m_imageStep);
    const auto perJob = estimateJobCost(known, m_stepModels, textSteps, m_prices);
    const auto perImage = m_imageStep.isEmpty()
                              ? std::optional<double>(0.0)
                              : estimateJobCost(known, m_stepModels, {m_imageStep}, m_prices);
    if (!perJob || !perImage)
        return std::nullopt;
    double total = 0;
    for (const Brief &brief : briefs)
        total += *perJob + *perImage * std::max(1, brief.image.count);
    return total;
}

QString JobEstimates::costEstimateText(const QList<Brief> &briefs)
{
    const int jobs = static_cast<int>(briefs.size());
    const auto cost = estimateCost(briefs);
    if (!cost)
        return tr("no cost estimate yet — Brieflow needs a finished job with these models first");
    const QString count = jobs == 1 ? tr("1 job") : tr("%1 jobs").arg(jobs);
    return tr("%1 · estimated cost about %2").arg(count, formatUsd(*cost));
}

std::optional<double> JobEstimates::jobCost(const JobId &job)
{
    const auto costs = m_store.jobCosts({job}, m_prices);
    if (!costs) {
        m_lastError = costs.error().message;
        return std::nullopt;
    }
    return costs->value(job, 0.0);
}

} // namespace brieflow::ui
