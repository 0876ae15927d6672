// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include "core/brief/brief.h"
#include "core/util/ids.h"
#include "core/util/result.h"

namespace brieflow {

class JobStore;

/** One model call that led to an image: the step, the model and the prediction that ran. */
struct ModelUse {
    QString step;         ///< workflow step name: "concept", "image_prompt", "image"
    QString modelRef;     ///< "owner/name" as the step called it
    QString version;      ///< the version id the provider reported; empty when unknown
    QString predictionId; ///< the provider's prediction id
    int attempts = 0;     ///< attempts the step needed
    QDateTime createdAt;  ///< provider's created_at (UTC), or our intent time when unknown
    QDateTime startedAt;
    QDateTime completedAt;
    std::optional<double> predictTimeSeconds; ///< metrics.predict_time

    friend bool operator==(const ModelUse &, const ModelUse &) = default;
};

/**
 * Where one generated image came from, the whole chain: brief → concept → image prompt → the
 * models and versions that ran → seed → timings → job. The JSON sidecar, the metadata embedded
 * in exported files and re-import all carry this one value. Versioned as "brieflow.lineage/1".
 */
struct ImageLineage {
    static constexpr QLatin1String schema{"brieflow.lineage/1"};

    JobId jobId;
    OutputId outputId;
    int index = 1; ///< 1-based position among the job's images
    int count = 1; ///< how many images the job made
    Brief brief;
    QString conceptText; ///< the campaign concept ('concept' is a C++20 keyword)
    QString imagePrompt;
    QList<ModelUse> models; ///< in step order
    std::optional<qint64> seed;
    QString sha256; ///< of the stored original
    QString mime;   ///< of the stored original
    int width = 0;
    int height = 0;
    QDateTime jobCreatedAt;
    QDateTime imageCreatedAt;
    QString generator; ///< "Brieflow 0.1.0"

    /** The model of the image step, empty when unknown. */
    QString imageModel() const;

    friend bool operator==(const ImageLineage &, const ImageLineage &) = default;
};

/**
 * Reads the lineage of one stored image from the store (job, steps, provider calls and their
 * raw last responses for versions, seeds and timings). Errors name what is missing.
 */
Result<ImageLineage, QString> lineageForOutput(const JobStore &store, const OutputId &output);

/** The sidecar JSON (UTF-8, indented, keys in lineage order, "schema" first). */
QByteArray lineageToJson(const ImageLineage &lineage);

/**
 * Reads and validates a sidecar or embedded lineage: schema id, required fields, types and the
 * brief (briefFromJson rules). The error says which field is wrong.
 */
Result<ImageLineage, QString> lineageFromJson(const QByteArray &json);

} // namespace brieflow
