// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "datauri.h"

#include <QStringList>

namespace brieflow {

namespace {

constexpr qsizetype kMaxLabel = 100;

OutputError invalid(const QString &detail)
{
    return makeOutputError(OutputError::Kind::Invalid, QStringLiteral("data: URI: ") + detail);
}

} // namespace

bool isDataUri(const QString &text)
{
    return text.startsWith(QLatin1String("data:"), Qt::CaseInsensitive);
}

QString dataUriLabel(const QString &uri)
{
    const qsizetype comma = uri.indexOf(QLatin1Char(','));
    const QString head = comma < 0 ? uri.left(kMaxLabel) : uri.left(std::min(comma, kMaxLabel));
    return head;
}

Result<QByteArray, OutputError> decodeDataUri(const QString &uri, qint64 maxBytes)
{
    if (!isDataUri(uri))
        return fail(invalid(QStringLiteral("not a data: URI")));
    const qsizetype comma = uri.indexOf(QLatin1Char(','));
    if (comma < 0)
        return fail(invalid(QStringLiteral("no comma")));
    const QStringList params = uri.mid(5, comma - 5).split(QLatin1Char(';'));
    const bool base64 =
        params.size() > 1
        && params.last().trimmed().compare(QLatin1String("base64"), Qt::CaseInsensitive) == 0;
    const qsizetype encodedSize = uri.size() - comma - 1;
    // Cheap bounds before decoding: base64 is 4/3 of the payload, percent-encoding at most 3×.
    const qint64 encodedCap = base64 ? maxBytes / 3 * 4 + 8 : maxBytes * 3;
    if (encodedSize > encodedCap)
        return fail(makeOutputError(OutputError::Kind::TooLarge,
                                    QStringLiteral("data: URI of %1 characters").arg(encodedSize)));

    // Percent-decoding first also undoes %2B/%2F/%3D inside base64 payloads.
    QByteArray payload = QByteArray::fromPercentEncoding(uri.mid(comma + 1).toLatin1());
    if (base64) {
        payload = payload.simplified().replace(' ', QByteArray());
        auto decoded =
            QByteArray::fromBase64Encoding(payload, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(invalid(QStringLiteral("bad base64")));
        payload = std::move(*decoded);
    }
    if (payload.isEmpty())
        return fail(invalid(QStringLiteral("empty payload")));
    if (payload.size() > maxBytes)
        return fail(makeOutputError(OutputError::Kind::TooLarge,
                                    QStringLiteral("data: URI payload of %1 bytes over the cap %2")
                                        .arg(payload.size())
                                        .arg(maxBytes)));
    return payload;
}

} // namespace brieflow
