// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include <QtGlobal>

#include "core/replicate/pollscheduler.h"

namespace brieflow {

/** A polling workload in simulated time: `active` lanes, each running predictions back to
 *  back (model time uniform in [minModel, maxModel]) until `runFor` has passed. */
struct PollSimulationConfig {
    int active = 8;
    std::chrono::milliseconds runFor{10 * 60 * 1000};
    std::chrono::milliseconds minModel{5000};
    std::chrono::milliseconds maxModel{60000};
    quint64 seed = 1;
    /** The caller's expected duration is the true one × (1 + u), u uniform in ±this;
     *  nullopt = no expectation passed (blind polling). */
    std::optional<double> expectationError = 0.10;
    double perSecond = PollScheduler::DefaultPerSecond;
    int burst = PollScheduler::DefaultBurst;
    PollPolicy policy;
    /** Set: simulate a naive peer instead, polling every prediction at this fixed interval
     *  from its creation, with no budget (the official clients' 500 ms). */
    std::optional<std::chrono::milliseconds> fixedInterval;
};

/** What a simulated run measured. Lag = first poll at or after the finish − the finish. */
struct PollSimulationResult {
    qsizetype predictions = 0;
    qsizetype noticed = 0; ///< completions seen by a poll (must equal predictions)
    qint64 gets = 0;
    double getsPerPrediction = 0;
    qsizetype maxGetsInAnySecond = 0; ///< over every half-open one-second window
    double lagP50Ms = 0;
    double lagP95Ms = 0;
    double lagMaxMs = 0;
    double lagMeanMs = 0;
    double simulatedSeconds = 0;
    qsizetype stalls = 0; ///< scheduler promised work it did not yield (must be 0)
    std::vector<double> lagsMs;
};

/**
 * Runs a workload against PollScheduler (or the fixed-interval peer) in simulated time, with
 * zero network latency. Deterministic for a given config. Used by tst_pollscheduler and
 * bench_polling; this is a model of the scheduler, not an end-to-end measurement.
 */
PollSimulationResult simulatePolling(const PollSimulationConfig &config);

/** Nearest-rank percentile (p in [0, 100]) of unsorted values; 0 for none. */
double percentile(std::vector<double> values, double p);

/** The most timestamps inside any half-open window [t, t + window). */
qsizetype maxInAnyWindow(std::vector<PollScheduler::TimePoint> times,
                         std::chrono::nanoseconds window);

} // namespace brieflow
