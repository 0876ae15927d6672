// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private helpers shared by the brief readers (briefjson.cpp, briefcsv.cpp). Not part of the API.

#include <utility>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "core/brief/brief.h"

namespace brieflow::briefutil {

/** Where a byte offset falls in a text file: 1-based line and column (column in characters). */
struct TextPosition {
    int line = 1;
    int column = 1;
};

TextPosition textPosition(QByteArrayView data, qsizetype offset);

/** The offset of the first byte that is not part of well-formed UTF-8, or -1 if all are. */
qsizetype firstInvalidUtf8(QByteArrayView data);

/** True when @p data starts like UTF-16 text (a UTF-16 byte order mark or a zero byte). */
bool looksLikeUtf16(QByteArrayView data);

/** @p data without a leading UTF-8 byte order mark. */
QByteArrayView withoutBom(QByteArrayView data);

/** "U+0007" */
QString codePointName(char32_t codePoint);

/** "0xE9" */
QString byteName(unsigned char byte);

/** @p value in double quotes for a message, control characters made visible, long text cut. */
QString quotedValue(const QString &value);

/** "1.2 MB", "850 KB" */
QString formatByteSize(qint64 bytes);

/** 10512 → "10,512" */
QString formatCount(qint64 count);

/**
 * A known name @p given was probably meant to be, or empty. @p candidates pairs a spelling
 * (e.g. "name") with the name to suggest (e.g. "product_name"); matching ignores case, spaces,
 * dashes and underscores and tolerates two typos in longer names.
 */
QString suggestName(const QString &given, const QList<std::pair<QString, QString>> &candidates);

/** " Did you mean "x"?" or empty. */
QString didYouMean(const QString &suggestion);

/** Position of a field in a brief's display order, for sorting issues; unknown fields last. */
int fieldOrder(const QString &field);

/** Stable-sorts @p issues by fieldOrder(), keeping file-level issues (empty field) first. */
void sortIssues(BriefIssues &issues);

/** @p issues without those about a field in @p fields. */
BriefIssues withoutFields(const BriefIssues &issues, const QStringList &fields);

} // namespace brieflow::briefutil
