// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/outputs/outputerror.h"
#include "core/util/result.h"

namespace brieflow {

/** Whether @p text starts with "data:" (any case). */
bool isDataUri(const QString &text);

/**
 * The payload of an RFC 2397 data: URI, base64 ("data:image/png;base64,....") or
 * percent-encoded ("data:image/png,%89PNG..."). Invalid when malformed or not decodable,
 * TooLarge when the payload is over @p maxBytes (checked before decoding where possible). The
 * declared media type is ignored: the bytes are sniffed afterwards like any download.
 */
Result<QByteArray, OutputError> decodeDataUri(const QString &uri, qint64 maxBytes);

/** "data:image/png;base64": what is recorded as the source of a data: URI (not the payload). */
QString dataUriLabel(const QString &uri);

} // namespace brieflow
