// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/columns.h"
#include "core/store/records.h"
#include "core/util/result.h"

// Conversions between records and database rows, in the column order of columns.h. Internal to
// core/store.

namespace brieflow::db {

/** Milliseconds since the epoch, or NULL for an invalid time. */
QVariant timeValue(const QDateTime &time);
QDateTime timeFrom(const QVariant &value);
/** NULL for a null string; "" for an empty one. */
QVariant textValue(const QString &text);
/** Never NULL: for NOT NULL text columns. */
QVariant requiredText(const QString &text);
/** UTF-8 JSON stored as TEXT; NULL when empty. */
QVariant jsonValue(const QByteArray &json);
QByteArray jsonFrom(const QVariant &value);
/** Bytes stored as a BLOB; NULL when empty. */
QVariant blobValue(const QByteArray &bytes);

QVariantList jobRow(const JobRecord &job);
QVariantList stepRow(const StepRecord &step);
QVariantList callRow(const ProviderCallRecord &call);
QVariantList outputRow(const OutputRecord &output);

// Readers take a query positioned on a row selected with the matching column list. A string the
// enums don't know makes them fail with a description of the bad value.
Result<JobRecord, QString> readJob(const QSqlQuery &query);
Result<StepRecord, QString> readStep(const QSqlQuery &query);
Result<ProviderCallRecord, QString> readCall(const QSqlQuery &query);
OutputRecord readOutput(const QSqlQuery &query);
EventRecord readEvent(const QSqlQuery &query);

} // namespace brieflow::db
