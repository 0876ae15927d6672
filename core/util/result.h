// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>
#include <variant>

namespace brieflow {

/** The failure half of a Result, built with fail(). Mirrors std::unexpected (C++23). */
template<typename E>
struct Failure {
    E error;
};

template<typename E>
[[nodiscard]] Failure<std::decay_t<E>> fail(E &&error)
{
    return Failure<std::decay_t<E>>{std::forward<E>(error)};
}

/**
 * A value or an expected failure, in the spirit of std::expected (C++23, not in our toolchain).
 * Core APIs return it for failures a caller must handle (a corrupt database, an invalid brief);
 * programming errors are asserts, not Results.
 */
template<typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {}
    Result(Failure<E> failure)
        : m_data(std::in_place_index<1>, std::move(failure.error))
    {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &std::get<0>(m_data); }
    T *operator->() { return &std::get<0>(m_data); }

    const E &error() const & { return std::get<1>(m_data); }

    template<typename U>
    T valueOr(U &&fallback) const &
    {
        return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, E> m_data;
};

/** Result of an operation that yields nothing but may fail. */
template<typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    Result(Failure<E> failure)
        : m_error(std::move(failure.error))
        , m_failed(true)
    {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const E &error() const & { return m_error; }

private:
    E m_error{};
    bool m_failed = false;
};

} // namespace brieflow
