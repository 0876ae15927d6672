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
 * "Use again": queues the brief of job @p source again as a new pending job (the same brief and
 * image options), with a "created" event naming the source job. NotFound when there is no such
 * job; Constraint when its payload isn't a brief.
 */
Result<JobRecord, StoreError> rerunJob(JobStore &store, const JobId &source);

/**
 * Queues a new job of @p brief that starts at the images: its concept and image-prompt steps are
 * recorded as succeeded with @p conceptText and @p imagePrompt (an event says they were reused and
 * from where: @p source, e.g. "job 0192…" or an imported file name), so the engine pays only for
 * the images. The brief must be valid and the prompt must pass the image-prompt step's check.
 */
Result<JobRecord, StoreError> submitFromImagePrompt(JobStore &store, const Brief &brief,
                                                    const QString &conceptText,
                                                    const QString &imagePrompt,
                                                    const QString &source);

/** The brief a job was created from, or std::nullopt when its payload isn't a brief. */
std::optional<Brief> briefOfJob(const JobRecord &job);

} // namespace brieflow
