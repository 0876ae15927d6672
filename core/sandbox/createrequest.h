// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

#include "core/sandbox/httpmessage.h"
#include "core/sandbox/predictionengine.h"
#include "core/util/result.h"

namespace brieflow::sandbox {

class ModelCatalog;

/** The three ways to create a prediction. */
enum class CreateForm {
    Version,    ///< POST /v1/predictions with "version"
    Model,      ///< POST /v1/models/{owner}/{name}/predictions
    Deployment, ///< POST /v1/deployments/{owner}/{name}/predictions
};

/** A create request that passed every check, ready for the engine. */
struct CreateRequest {
    CreateSpec spec;
    std::optional<int> waitSeconds; ///< Prefer: wait / wait=N
    QByteArray preferenceApplied;   ///< the Preference-Applied value to echo
};

/**
 * Reads and checks a create request the way Replicate does, in Replicate's order: the JSON body
 * against the request schema (422 "Input validation failed" with field ""), the version or
 * model (422 "Invalid version or not permitted", or 404 for an unknown model or deployment path),
 * Cancel-After (400 if malformed or under 5 s) and the input against the model's schema (422).
 * @p owner / @p name come from the path (empty for CreateForm::Version). On failure the error is
 * the complete answer to send.
 */
Result<CreateRequest, HttpResponse> readCreateRequest(const HttpRequest &request, CreateForm form,
                                                      const QString &owner, const QString &name,
                                                      const ModelCatalog &catalog,
                                                      bool strictInputs);

} // namespace brieflow::sandbox
