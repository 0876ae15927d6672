// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eta.h"

#include <algorithm>

#include <QCoreApplication>

#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"

namespace brieflow {

namespace {

QString key(const QString &step, const QString &model)
{
    return step + QChar(0x1f) + model;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Eta", text);
}

} // namespace

QHash<QString, QString> stepModelsOf(const Workflow &workflow,
                                     const QHash<QString, QString> &overrides)
{
    QHash<QString, QString> models;
    for (const StepDefinition &step : workflow.steps)
        models.insert(step.name,
                      step.model.isEmpty() ? QString() : overrides.value(step.name, step.model));
    return models;
}

EtaEstimator::EtaEstimator(QList<StepHistory> history, QHash<QString, QString> stepModels,
                           QStringList stepOrder, int concurrentJobs)
    : m_stepModels(std::move(stepModels))
    , m_stepOrder(std::move(stepOrder))
    , m_concurrentJobs(std::max(1, concurrentJobs))
{
    for (const StepHistory &h : history) {
        if (h.samples > 0)
            m_medianMs.insert(key(h.step, h.model), h.medianTotalMs);
    }
}

Result<EtaEstimator, StoreError> EtaEstimator::load(const JobStore &store,
                                                    QHash<QString, QString> stepModels,
                                                    QStringList stepOrder, int concurrentJobs)
{
    auto history = store.stepHistory();
    if (!history)
        return fail(history.error());
    return EtaEstimator(std::move(*history), std::move(stepModels), std::move(stepOrder),
                        concurrentJobs);
}

std::optional<qint64> EtaEstimator::stepMs(const QString &step) const
{
    const auto model = m_stepModels.constFind(step);
    if (model == m_stepModels.cend() || model->isEmpty())
        return 0; // a local step (the store step): no model, takes no time worth counting
    const auto median = m_medianMs.constFind(key(step, *model));
    if (median == m_medianMs.cend())
        return std::nullopt;
    return *median;
}

std::optional<qint64> EtaEstimator::jobMs() const
{
    if (m_stepOrder.isEmpty())
        return std::nullopt;
    qint64 total = 0;
    for (const QString &step : m_stepOrder) {
        const auto ms = stepMs(step);
        if (!ms)
            return std::nullopt;
        total += *ms;
    }
    return total;
}

std::optional<qint64> EtaEstimator::remainingMs(const QList<StepRecord> &steps, int ahead,
                                                const QDateTime &now) const
{
    qint64 own = 0;
    bool unfinished = false;
    for (const StepRecord &step : steps) {
        switch (step.status) {
        case StepStatus::Succeeded:
        case StepStatus::Canceled:
            continue;
        case StepStatus::Failed:
        case StepStatus::NeedsAttention:
            return std::nullopt; // waits for the user, not for time
        case StepStatus::Pending:
        case StepStatus::Processing:
            break;
        }
        unfinished = true;
        const auto median = stepMs(step.name);
        if (!median)
            return std::nullopt;
        if (step.status == StepStatus::Processing && step.startedAt.isValid()) {
            const qint64 spent = std::max<qint64>(0, step.startedAt.msecsTo(now));
            own += std::max(*median - spent, *median / 10);
        } else {
            own += *median;
        }
    }
    if (!unfinished)
        return 0;
    const int rounds = std::max(0, ahead) / m_concurrentJobs;
    if (rounds == 0)
        return own;
    const auto perJob = jobMs();
    if (!perJob)
        return std::nullopt;
    return own + rounds * *perJob;
}

QString formatEta(std::optional<qint64> ms)
{
    if (!ms)
        return tr("no estimate yet");
    const qint64 seconds = (*ms + 999) / 1000;
    if (seconds < 60)
        return tr("about %1 s").arg(std::max<qint64>(1, seconds));
    const qint64 minutes = (seconds + 30) / 60;
    if (minutes < 60)
        return tr("about %1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    const qint64 rest = minutes % 60;
    if (rest == 0)
        return tr("about %1 h").arg(hours);
    return tr("about %1 h %2 min").arg(hours).arg(rest);
}

std::optional<double> estimateJobCost(const QList<StepHistory> &history,
                                      const QHash<QString, QString> &stepModels,
                                      const QStringList &stepOrder, const PriceTable &prices)
{
    if (stepOrder.isEmpty())
        return std::nullopt;
    double total = 0;
    for (const QString &step : stepOrder) {
        const QString model = stepModels.value(step);
        if (model.isEmpty())
            continue; // a local step costs nothing
        const auto it = std::find_if(history.cbegin(), history.cend(), [&](const StepHistory &h) {
            return h.step == step && h.model == model && h.medianPredictSeconds > 0;
        });
        if (it == history.cend())
            return std::nullopt;
        total += it->medianPredictSeconds * prices.usdPerSecond(model);
    }
    return total;
}

} // namespace brieflow
