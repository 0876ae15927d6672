// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include "core/provider/providertypes.h"
#include "core/util/result.h"

namespace brieflow::replicate {

/**
 * GET /v1/models/{owner}/{name}/versions/{id} → ModelVersion. The Cog OpenAPI schema is reduced
 * to InputProperty values: `allOf`/`anyOf` `$ref`s into components.schemas are resolved for
 * enums and types, inputs are ordered by x-order, and Output is classified as an OutputShape.
 * A missing or unusable schema gives hasSchema = false, not an error; only a body that is not a
 * version object (no id) is a MalformedResponse.
 */
Result<ModelVersion, ProviderError> parseModelVersion(const QByteArray &body);

/** GET /v1/models/{owner}/{name} → ModelInfo, latest_version parsed like parseModelVersion(). */
Result<ModelInfo, ProviderError> parseModel(const QByteArray &body);

} // namespace brieflow::replicate
