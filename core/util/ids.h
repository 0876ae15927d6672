// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHashFunctions>
#include <QMetaType>
#include <QString>

namespace brieflow {

/**
 * A new UUIDv7 (RFC 9562) in its canonical lowercase 36-character form. The first 48 bits are
 * the Unix time in milliseconds and the next 12 a per-process counter, so ids made later sort
 * after ids made earlier, also within one millisecond. Thread-safe.
 */
QString newSortableId();

/** The creation time encoded in a UUIDv7, or an invalid QDateTime for anything else. */
QDateTime sortableIdTimestamp(const QString &id);

/** True for a canonical lowercase UUIDv7 string. */
bool isSortableId(const QString &id);

/**
 * A strongly typed id: a JobId cannot be passed where a StepId is expected. The value is the
 * UUIDv7 string stored in the database.
 */
template<typename Tag>
class TypedId {
public:
    TypedId() = default;
    explicit TypedId(QString value)
        : m_value(std::move(value))
    {}

    static TypedId generate() { return TypedId(newSortableId()); }

    bool isNull() const { return m_value.isEmpty(); }
    const QString &toString() const { return m_value; }

    friend bool operator==(const TypedId &, const TypedId &) = default;
    friend bool operator<(const TypedId &a, const TypedId &b) { return a.m_value < b.m_value; }
    friend size_t qHash(const TypedId &id, size_t seed = 0) { return qHash(id.m_value, seed); }

private:
    QString m_value;
};

using JobId = TypedId<struct JobIdTag>;
using StepId = TypedId<struct StepIdTag>;
using ProviderCallId = TypedId<struct ProviderCallIdTag>;
using OutputId = TypedId<struct OutputIdTag>;

} // namespace brieflow

Q_DECLARE_METATYPE(brieflow::JobId)
