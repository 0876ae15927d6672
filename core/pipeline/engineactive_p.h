// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>

#include <QList>
#include <QTimer>

#include "core/outputs/outputerror.h"
#include "core/outputs/outputstorage.h"
#include "core/pipeline/pipelineengine.h"

namespace brieflow {

/** What the engine holds in memory for one running job; everything else is in the store. */
struct PipelineEngine::Active {
    quint64 generation = 0; ///< callbacks carry it: a stale one finds no match and is dropped
    JobRecord job;
    QList<StepRecord> steps;
    qsizetype index = -1; ///< the current step in steps
    const StepDefinition *definition = nullptr;
    std::optional<ProviderCallRecord> call; ///< the current attempt
    QString predictionId;                   ///< being followed
    CallHandle create;
    CallHandle list;
    CallHandle stream;
    QString streamedText;
    bool holdsSlot = false;
    std::function<void()> onSlot; ///< what to do when a prediction slot frees up
    bool canceling = false;
    /// Not looked at yet since the engine started: in-flight work found now is a recovery.
    bool firstTakeUp = false;
    int reconcileRound = 0;
    int reconcileErrors = 0;
    std::unique_ptr<QTimer> timer; ///< reconcile settle delays and download retries

    // image downloads of the current prediction
    std::optional<Prediction> finished;
    QList<quint64> downloads;
    QList<std::optional<Result<StoredOutput, OutputError>>> fetched;
    int downloadRounds = 0;

    StepRecord &step() { return steps[index]; }
};

} // namespace brieflow
