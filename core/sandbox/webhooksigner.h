// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace brieflow::sandbox {

/**
 * Standard Webhooks signing, as Replicate does it: "v1,<base64 HMAC-SHA256>" of
 * "<id>.<timestamp>.<body>", keyed with the base64-decoded part of @p secret after "whsec_".
 */
QString signWebhook(const QString &secret, const QString &messageId, qint64 timestamp,
                    const QByteArray &body);

/** A fresh "whsec_<base64 of 24 bytes>" secret derived from @p seed. */
QString makeWebhookSecret(quint64 seed);

} // namespace brieflow::sandbox
