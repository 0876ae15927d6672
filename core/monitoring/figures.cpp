// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "figures.h"

#include <QtConcurrent>

#include "core/store/jobstore.h"

namespace brieflow {

std::optional<double> CompletionFigures::rate() const
{
    const int ended = succeeded + failed;
    if (ended == 0)
        return std::nullopt;
    return static_cast<double>(succeeded) / ended;
}

std::optional<double> RetryFigures::rate() const
{
    if (stepsRetried == 0)
        return std::nullopt;
    return static_cast<double>(retriedSucceeded) / stepsRetried;
}

std::optional<double> CostFigures::perJobUsd() const
{
    if (jobsWithCost == 0)
        return std::nullopt;
    return totalUsd / jobsWithCost;
}

Result<MonitoringFigures, StoreError> readMonitoringFigures(const QString &databaseFile,
                                                            const MonitoringQuery &query)
{
    auto read = [databaseFile](MonitoringQuery part) -> Result<MonitoringFigures, StoreError> {
        auto store = JobStore::open(databaseFile, JobStore::Mode::Reader);
        if (!store)
            return fail(store.error());
        return (*store)->monitoringFigures(part);
    };
    MonitoringQuery counts = query;
    counts.parts = query.parts & CountFigures;
    MonitoringQuery rest = query;
    rest.parts = query.parts & (DurationFigures | CostliestJobs);
    // The second half on its own thread (not the global pool: a busy pool must not queue it
    // behind other work while this thread waits).
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QFuture<Result<MonitoringFigures, StoreError>> other = QtConcurrent::run(&pool, read, rest);
    auto first = read(counts);
    auto second = other.result();
    if (!first)
        return first;
    if (!second)
        return second;
    MonitoringFigures figures = std::move(first).value();
    const MonitoringFigures &more = *second;
    if (rest.parts & DurationFigures)
        figures.durations = more.durations;
    if (rest.parts & CostliestJobs)
        figures.cost.topJobs = more.cost.topJobs;
    figures.query = query;
    return figures;
}

} // namespace brieflow
