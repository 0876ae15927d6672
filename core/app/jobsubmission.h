// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QStringList>

#include "core/brief/brief.h"
#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {

class JobStore;
class Settings;

/** The workflow every brief runs through today: concept → image prompt → images → store
 *  (resources/workflows/campaign_asset.json). */
struct CampaignWorkflow {
    static QString type();
    /** The built-in workflow's step names, in order. */
    static QStringList stepNames();
};

/** The settings' model choices that differ from the workflow's, as step name → model ref (what
 *  EngineOptions::modelOverrides and EngineHost::setModelOverrides() take). */
QHash<QString, QString> modelOverrides(const Settings &settings);

/**
 * Queues a brief as a new pending job of the campaign workflow: the job, its steps and a
 * "created" event in one transaction. The GUI and the CLI both submit through here. @p source
 * says where the brief came from (a file name, "form") and is kept in the event log. The brief
 * must already be valid (validateBrief() returned nothing); an invalid one is refused.
 */
Result<JobRecord, StoreError> submitBrief(JobStore &store, const Brief &brief,
                                          const QString &source);

/**
 * "Use again": queues the brief of job @p source again as a new pending job of the campaign
 * workflow (the same brief and image options; every step runs again and makes its own images),
 * in one transaction with a "created" event naming the source job (its data has "source_job").
 * NotFound when there is no such job; Constraint when its payload isn't a brief or the brief no
 * longer passes validateBrief() (the message says why).
 */
Result<JobRecord, StoreError> rerunJob(JobStore &store, const JobId &source);

/**
 * Queues a new job of @p brief that starts at the images: its concept and image-prompt steps are
 * recorded as succeeded (outputs in the engine's shape, {"text": ...}, with started and
 * completed times and "step_succeeded" events, no provider calls) with @p conceptText and
 * @p imagePrompt, and a "reused" event names @p source (e.g. "job 0192…" or an imported file
 * name; also in its data as "source"). The engine then runs only the image and store steps, so
 * it pays only for the images. One transaction.
 *
 * Refused (Constraint, with a message for the user, nothing queued) when the brief isn't valid,
 * when the concept is empty, or when the prompt fails the built-in workflow's image-prompt check
 * (checkStepOutput(): empty, an apology, several paragraphs or a list, too short or too long).
 * The prompt is stored as that check cleans it (labels, quotes, wrapping removed), exactly as
 * the engine stores a model's answer; the concept is stored trimmed.
 */
Result<JobRecord, StoreError> submitFromImagePrompt(JobStore &store, const Brief &brief,
                                                    const QString &conceptText,
                                                    const QString &imagePrompt,
                                                    const QString &source);

/** The brief a job was created from, or std::nullopt when its payload isn't a brief. */
std::optional<Brief> briefOfJob(const JobRecord &job);

} // namespace brieflow
