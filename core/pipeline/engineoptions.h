// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <functional>

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "core/monitoring/pricetable.h"
#include "core/outputs/outputpolicy.h"

namespace brieflow {

/** How the engine runs; the defaults are the product's. */
struct EngineOptions {
    int maxConcurrentJobs = 4;      ///< jobs running at once, started in queue order
    int maxPredictionsInFlight = 8; ///< predictions between intent and final state, app-wide
    QString workflowId = QStringLiteral("campaign_asset");
    QString workflowFile;                   ///< a workflow JSON to use instead of the built-in one
    QHash<QString, QString> modelOverrides; ///< step name → model ref (the settings' models)
    OutputPolicy outputPolicy;
    /// GETs per second shared by every prediction being followed (Replicate allows 50/s for
    /// all non-create calls; see reliability-performance.md §5.5).
    double pollBudgetPerSecond = 40;
    std::chrono::milliseconds notifyInterval{250};
    /// How often the queue is read for jobs other processes added or changed; 0: never.
    std::chrono::milliseconds queuePollInterval{2'000};
    /// Unknown-outcome creates: the first look at the provider's list, this long after the
    /// intent (a prediction that exists is nearly always listed by then: adopted within ~1 s).
    std::chrono::milliseconds reconcileFirstLook{1'000};
    /// When the first look finds nothing: look again reconcileRechecks times, at 1×, 2×, …
    /// this long after the intent, before creating anew (the list may lag behind the create).
    std::chrono::milliseconds reconcileSettle{10'000};
    int reconcileRechecks = 2;
    /// A succeeded prediction whose files could not be fetched (network, 5xx) is fetched again
    /// after this, doubling each round, at most 5 rounds in all; then the step fails (the
    /// prediction is never re-created by itself).
    std::chrono::milliseconds downloadRetryDelay{2'000};
    /// Listing starts this long before the intent time (clock skew between us and the provider).
    std::chrono::milliseconds reconcileSkew{120'000};
    /// The provider deletes an API prediction's input after an hour; past this age an unknown
    /// create cannot be matched by input and the job asks the user instead of guessing.
    std::chrono::milliseconds retentionWindow{55 * 60 * 1000};
    /// After a database write failed (disk full, I/O): how long the queue waits before it tries
    /// again by itself.
    std::chrono::milliseconds storeRecheck{10'000};
    quint64 jitterSeed = 0; ///< 0: random
    /// Stuck steps (enginestuck.cpp): how often running predictions are looked at; 0: never.
    std::chrono::milliseconds stuckCheckInterval{15'000};
    /// A prediction still running this long past its step's timeout (Cancel-After, which the
    /// provider should have enforced) is flagged stuck.
    std::chrono::milliseconds stuckTimeoutGrace{30'000};
    /// Flagged when running longer than this many times the model's usual run time (the median
    /// of its recent successes) and at least stuckRunTimeFloor; never without history.
    double stuckRunTimeFactor = 3.0;
    std::chrono::milliseconds stuckRunTimeFloor{120'000};
    /// Still waiting at the provider (status "starting") longer than stuckRunTimeFactor × the
    /// usual run time and at least this long; never without history.
    std::chrono::milliseconds stuckStartingFloor{120'000};
    /// Where the provider sends webhooks for every prediction we create (our receiver's public
    /// URL); empty: no webhooks, polling alone. Polling stays on either way as the safety net.
    QUrl webhookUrl;
    /// Events the provider sends to webhookUrl; "start" and "completed" are the ones the engine
    /// acts on ("output"/"logs" would only add traffic: streaming covers live text).
    QStringList webhookEvents{QStringLiteral("start"), QStringLiteral("completed")};
    /// What predict_time costs per model (the cost figures and the daily budget).
    PriceTable prices = PriceTable::defaults();
    /// US dollars the calls started today (local time) may cost; when reached no new prediction
    /// starts: the next job waits in needs_attention ("budget_reached") until the budget is
    /// raised or the day ends. 0: no budget.
    double dailyBudgetUsd = 0;
    /// The local time the budget's day is read from; empty: the system clock. Tests move it
    /// across midnight.
    std::function<QDateTime()> budgetClock;
};

} // namespace brieflow
