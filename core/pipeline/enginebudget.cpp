// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The daily budget: before a new attempt's intent is recorded for a step that calls a model,
// what today's calls cost (JobStore::spendSince from the local midnight, priced by the price
// table) is compared with EngineOptions::dailyBudgetUsd. When it is reached no intent is
// written: the step waits in needs_attention ("budget_reached"), the queue pauses (the engine's
// problem) and nothing new starts, while predictions already running finish and keep their
// outputs. Nothing fails and no attempt is used up. The queue runs again by itself when the
// budget is raised or removed (setCostSettings) or when the local day changes (a timer to the
// next midnight, and a look at the date whenever the queue is read).
//
// Also here: the "recovered" event of a job taken up after a restart with work in flight.
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include "core/pipeline/engineactive_p.h"
#include "pipelineengine.h"

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace brieflow {

namespace {

/** The timer never waits longer than this: a suspended machine or a clock change is noticed. */
constexpr qint64 kBudgetRecheckMaxMs = 3600 * 1000;
/** Wakes up this long after midnight, so "today" has surely changed. */
constexpr qint64 kAfterMidnightMs = 1000;

} // namespace

QDateTime PipelineEngine::budgetNow() const
{
    const QDateTime now =
        m_options.budgetClock ? m_options.budgetClock() : QDateTime::currentDateTime();
    return now.toLocalTime();
}

std::optional<StepError> PipelineEngine::budgetReached()
{
    const double budget = m_options.dailyBudgetUsd;
    if (!(budget > 0))
        return std::nullopt;
    const QDateTime since = budgetNow().date().startOfDay();
    const auto spent = m_store.spendSince(since, m_options.prices);
    if (!spent) {
        // Not knowing what was spent is no reason to stop the queue: the store's own failure
        // shows up with the next write.
        qCWarning(lcEngine) << "could not read today's spending:" << spent.error().message;
        return std::nullopt;
    }
    if (*spent < budget)
        return std::nullopt;
    StepError error;
    error.type = StepErrorType::BudgetReached;
    error.message = tr("Today's daily budget of %1 is used up (%2 spent since midnight), so no "
                       "new model call starts. Raise the daily budget in Settings ▸ Cost, or "
                       "wait until tomorrow: the queue then runs again by itself. No job has "
                       "failed.")
                        .arg(formatUsd(budget), formatUsd(*spent));
    error.detail = QStringLiteral("spent %1 USD since %2 (local), daily budget %3 USD")
                       .arg(*spent, 0, 'f', 6)
                       .arg(since.toString(Qt::ISODate))
                       .arg(budget, 0, 'f', 6);
    return error;
}

void PipelineEngine::setCostSettings(const PriceTable &prices, double dailyBudgetUsd)
{
    m_options.prices = prices;
    m_options.dailyBudgetUsd = dailyBudgetUsd > 0 ? dailyBudgetUsd : 0;
    qCInfo(lcEngine) << "daily budget:"
                     << (m_options.dailyBudgetUsd > 0 ? formatUsd(m_options.dailyBudgetUsd)
                                                      : QStringLiteral("none"));
    if (m_running)
        resumeIfBudgetAllows();
}

void PipelineEngine::resumeIfBudgetAllows()
{
    if (const auto reached = budgetReached()) {
        // Still spent: keep waiting, with today's figures in what the user sees.
        if (m_problem.errorType == StepErrorType::BudgetReached) {
            m_budgetDay = budgetNow().date();
            if (m_problem.message != reached->message) {
                m_problem.message = reached->message;
                Q_EMIT attentionChanged(m_problem);
            }
            armBudgetTimer();
        }
        return;
    }
    m_budgetTimer.stop();
    // The ledger's resume path, as for a new token: steps go back to processing or pending.
    const auto resumed = m_ledger.clearAttention({StepErrorType::BudgetReached});
    if (!resumed) {
        qCWarning(lcEngine) << "could not resume jobs waiting at the budget:"
                            << resumed.error().message;
        return;
    }
    for (const JobId &job : *resumed)
        markDirty(job);
    if (!resumed->isEmpty())
        qCInfo(lcEngine) << "jobs that waited at the daily budget run again:" << resumed->size();
    if (m_problem.errorType == StepErrorType::BudgetReached) {
        m_problem = {};
        Q_EMIT attentionChanged(m_problem);
    }
    schedulePump();
}

void PipelineEngine::armBudgetTimer()
{
    const QDateTime now = budgetNow();
    const QDateTime next = now.date().addDays(1).startOfDay();
    const qint64 ms = qBound<qint64>(0, now.msecsTo(next) + kAfterMidnightMs, kBudgetRecheckMaxMs);
    m_budgetTimer.start(static_cast<int>(ms));
}

void PipelineEngine::noteRecovered(const ActivePtr &a, const ProviderCallRecord &call)
{
    QString message;
    switch (call.state) {
    case CallState::Submitted:
        message = QStringLiteral("Taken up again after a restart: following prediction %1 "
                                 "(attempt %2)")
                      .arg(call.predictionId)
                      .arg(call.attempt);
        break;
    case CallState::Succeeded:
        message = QStringLiteral("Taken up again after a restart: prediction %1 succeeded, its "
                                 "outputs are fetched again (attempt %2)")
                      .arg(call.predictionId)
                      .arg(call.attempt);
        break;
    default:
        message = QStringLiteral("Taken up again after a restart: checking with Replicate "
                                 "whether attempt %1 started")
                      .arg(call.attempt);
        break;
    }
    QJsonObject data{{QStringLiteral("attempt"), call.attempt},
                     {QStringLiteral("step"), a->step().name}};
    if (!call.predictionId.isEmpty())
        data.insert(QStringLiteral("prediction_id"), call.predictionId);
    if (auto noted = m_ledger.note(a->job.id, call.stepId, QStringLiteral("recovered"), message,
                                   QJsonDocument(data).toJson(QJsonDocument::Compact));
        !noted) {
        // The job goes on either way; only the monitoring figure misses it.
        qCWarning(lcEngine) << "could not note the recovery of job" << a->job.id.toString() << ":"
                            << noted.error().message;
    }
}

} // namespace brieflow
