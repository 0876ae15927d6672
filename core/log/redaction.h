// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace brieflow {

/**
 * @p text with everything that looks like a secret replaced by "[redacted]": Replicate tokens
 * ("r8_" and the token characters after it), the value of an Authorization header in any of the
 * shapes it gets printed ("Authorization: Bearer …", "\"Authorization\":\"…\"", a header pair)
 * and "Bearer …"/"Token …" credentials. Defence in depth for the log: tokens must never get
 * there in the first place. Cheap when there is nothing to redact.
 */
QString redactSecrets(const QString &text);

} // namespace brieflow
