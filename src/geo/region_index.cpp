// Building, saving and loading the region index.
//
// A cell's classification is exact: a region none of whose boundary segments touches the closed
// cell holds the cell either entirely inside or entirely outside, and GEOS's covers test at the
// cell's centre says which. "Touches" is conservative (a corner within rounding distance of a
// segment's line counts as touching: more border cells, never a missed crossing), and cell edges
// are exact multiples of the finest cell size.
#include "region_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <istream>
#include <ostream>

#include "meteo/core/hashing.hpp"

namespace meteo::geo_detail {

class RegionIndexBuilder {
 public:
  RegionIndexBuilder(const ExactRegions& regions, int max_depth)
      : regions_(regions), max_depth_(std::clamp(max_depth, 0, 24)) {
    segment_boxes_.resize(regions.size());
    for (std::size_t ordinal = 0; ordinal < regions.size(); ++ordinal) {
      for (const Segment& segment : regions.boundary_segments(ordinal)) {
        segment_boxes_[ordinal].push_back(
            {std::min(segment.x0, segment.x1), std::min(segment.y0, segment.y1),
             std::max(segment.x0, segment.x1), std::max(segment.y0, segment.y1), segment.x0,
             segment.y0, segment.x1, segment.y1});
      }
    }
  }

  RegionIndex build() {
    choose_root();
    for (std::uint32_t ordinal = 0; ordinal < regions_.size(); ++ordinal) {
      const std::size_t first = segments_.size();
      for (std::uint32_t segment = 0; segment < segment_boxes_[ordinal].size(); ++segment) {
        segments_.push_back(segment);
      }
      candidates_.push_back({ordinal, false, first, segments_.size()});
    }
    const std::uint32_t root = regions_.size() == 0
                                   ? RegionIndex::make_word(RegionIndex::kEmpty, 0)
                                   : build_cell(index_.origin_x_, index_.origin_y_, index_.size_, 0,
                                                0, candidates_.size());
    fill_top_grid(root);
    return std::move(index_);
  }

 private:
  struct Box {
    double min_x, min_y, max_x, max_y;
    double x0, y0, x1, y1;  // the segment itself
  };
  // A region still in play for a cell: its boundary segments touching the cell, or none when
  // the region covers the whole cell.
  struct Candidate {
    std::uint32_t region;
    bool covers_cell;
    std::size_t first_segment, last_segment;  // into segments_
  };

  // The smallest power-of-two square holding every region, its corner on the finest grid.
  void choose_root() {
    if (regions_.size() == 0) return;
    BoundingBox all = regions_.envelope(0);
    for (std::size_t ordinal = 1; ordinal < regions_.size(); ++ordinal) {
      const BoundingBox& box = regions_.envelope(ordinal);
      all.min_lon = std::min(all.min_lon, box.min_lon);
      all.min_lat = std::min(all.min_lat, box.min_lat);
      all.max_lon = std::max(all.max_lon, box.max_lon);
      all.max_lat = std::max(all.max_lat, box.max_lat);
    }
    const double span = std::max(all.max_lon - all.min_lon, all.max_lat - all.min_lat);
    double size = std::exp2(std::ceil(std::log2(std::max(span, 1e-9))));
    for (;;) {
      const double finest = std::ldexp(size, -max_depth_);
      const double origin_x = on_grid_below(all.min_lon, finest);
      const double origin_y = on_grid_below(all.min_lat, finest);
      if (origin_x + size >= all.max_lon && origin_y + size >= all.max_lat) {
        index_.origin_x_ = origin_x;
        index_.origin_y_ = origin_y;
        index_.size_ = size;
        return;
      }
      size *= 2;
    }
  }

  static double on_grid_below(double value, double step) {
    double snapped = std::floor(value / step) * step;
    if (snapped > value) snapped -= step;  // the division rounded up to the next multiple
    return snapped;
  }

  // False only when the segment certainly misses the closed cell: their boxes are apart, or all
  // four corners are strictly on one side of the segment's line by more than the orientation
  // test's rounding error (Shewchuk's bound for this formula is about 3.3e-16 relative).
  static bool touches(const Box& segment, double x, double y, double size) {
    if (segment.max_x < x || segment.min_x > x + size || segment.max_y < y ||
        segment.min_y > y + size) {
      return false;
    }
    const double dx = segment.x1 - segment.x0;
    const double dy = segment.y1 - segment.y0;
    const double corners[4][2] = {{x, y}, {x + size, y}, {x, y + size}, {x + size, y + size}};
    int left = 0, right = 0;
    for (const auto& corner : corners) {
      const double along = dx * (corner[1] - segment.y0);
      const double across = dy * (corner[0] - segment.x0);
      const double orientation = along - across;
      const double error = 1e-12 * (std::abs(along) + std::abs(across));
      if (orientation > error) {
        ++left;
      } else if (orientation < -error) {
        ++right;
      } else {
        return true;  // a corner on the line, or too close to tell
      }
    }
    return left != 4 && right != 4;
  }

  bool envelope_holds(std::uint32_t region, double x, double y, double size) const {
    const BoundingBox& box = regions_.envelope(region);
    return box.min_lon <= x && box.max_lon >= x + size && box.min_lat <= y &&
           box.max_lat >= y + size;
  }

  // Pushes onto candidates_ what the parent's candidates [first, last) become in this cell, in
  // source order, up to the first one covering the whole cell (later ones never answer).
  void narrow_candidates(double x, double y, double size, std::size_t first, std::size_t last) {
    for (std::size_t index = first; index < last; ++index) {
      const Candidate parent = candidates_[index];  // a copy: push_back may reallocate
      if (parent.covers_cell) {
        candidates_.push_back(parent);
        return;
      }
      const std::size_t touching_first = segments_.size();
      const Box* boxes = segment_boxes_[parent.region].data();
      for (std::size_t k = parent.first_segment; k < parent.last_segment; ++k) {
        const std::uint32_t segment = segments_[k];
        if (touches(boxes[segment], x, y, size)) segments_.push_back(segment);
      }
      if (segments_.size() > touching_first) {
        candidates_.push_back({parent.region, false, touching_first, segments_.size()});
        continue;
      }
      // No boundary in the closed cell: all inside or all outside the region.
      if (envelope_holds(parent.region, x, y, size) &&
          regions_.covers(parent.region, x + size / 2, y + size / 2)) {
        candidates_.push_back({parent.region, true, 0, 0});
        return;
      }
    }
  }

  std::uint32_t build_cell(double x, double y, double size, int depth, std::size_t parent_first,
                           std::size_t parent_last) {
    const std::size_t first = candidates_.size();
    const std::size_t segments_mark = segments_.size();
    narrow_candidates(x, y, size, parent_first, parent_last);
    const std::size_t last = candidates_.size();
    index_.depth_ = std::max(index_.depth_, depth);
    std::uint32_t word;
    if (first == last) {
      word = RegionIndex::make_word(RegionIndex::kEmpty, 0);
    } else if (candidates_[first].covers_cell) {
      word = RegionIndex::make_word(RegionIndex::kRegion, candidates_[first].region);
    } else if (depth == max_depth_) {
      word = border_leaf(first, last);
    } else {
      const auto children = static_cast<std::uint32_t>(index_.nodes_.size());
      index_.nodes_.resize(index_.nodes_.size() + 4);
      const double half = size / 2;
      for (std::uint32_t quadrant = 0; quadrant < 4; ++quadrant) {
        const double child_x = (quadrant & 1u) != 0 ? x + half : x;
        const double child_y = (quadrant & 2u) != 0 ? y + half : y;
        const std::uint32_t child = build_cell(child_x, child_y, half, depth + 1, first, last);
        index_.nodes_[children + quadrant] = child;
      }
      word = RegionIndex::make_word(RegionIndex::kInternal, children);
    }
    candidates_.resize(first);
    segments_.resize(segments_mark);
    return word;
  }

  std::uint32_t border_leaf(std::size_t first, std::size_t last) {
    auto& list = index_.candidates_;
    const auto offset = static_cast<std::uint32_t>(list.size());
    list.push_back(static_cast<std::uint32_t>(last - first));
    for (std::size_t index = first; index < last; ++index) {
      const Candidate& candidate = candidates_[index];
      list.push_back(candidate.region | (candidate.covers_cell ? RegionIndex::kCoversCell : 0u));
    }
    ++index_.border_leaves_;
    return RegionIndex::make_word(RegionIndex::kBorder, offset);
  }

  void fill_top_grid(std::uint32_t root) {
    index_.top_level_ = std::min(8, max_depth_);
    index_.top_cells_ = 1u << index_.top_level_;
    index_.top_cell_size_ = std::ldexp(index_.size_, -index_.top_level_);
    index_.top_scale_ = index_.size_ > 0 ? 1 / index_.top_cell_size_ : 0;
    index_.top_grid_.assign(std::size_t{index_.top_cells_} * index_.top_cells_, 0);
    fill_top_cells(root, 0, 0, 0);
    if (max_depth_ < index_.top_level_ + RegionIndex::kBlockLevels) return;
    index_.top_blocks_.assign(index_.top_grid_.size(), 0);
    for (std::size_t top = 0; top < index_.top_grid_.size(); ++top) {
      if (RegionIndex::tag(index_.top_grid_[top]) != RegionIndex::kInternal) continue;
      index_.top_blocks_[top] = static_cast<std::uint32_t>(index_.blocks_.size());
      index_.blocks_.resize(index_.blocks_.size() +
                            RegionIndex::kBlockCells * RegionIndex::kBlockCells);
      fill_block(index_.top_blocks_[top], index_.top_grid_[top], 0, 0, 0);
    }
  }

  // As fill_top_cells, within one top cell's block.
  void fill_block(std::uint32_t block, std::uint32_t word, int depth, std::uint32_t column,
                  std::uint32_t row) {
    if (RegionIndex::tag(word) == RegionIndex::kInternal && depth < RegionIndex::kBlockLevels) {
      for (std::uint32_t quadrant = 0; quadrant < 4; ++quadrant) {
        fill_block(block, index_.nodes_[RegionIndex::payload(word) + quadrant], depth + 1,
                   column * 2 + (quadrant & 1u), row * 2 + (quadrant >> 1));
      }
      return;
    }
    const std::uint32_t span = 1u << (RegionIndex::kBlockLevels - depth);
    for (std::uint32_t r = row * span; r < (row + 1) * span; ++r) {
      for (std::uint32_t c = column * span; c < (column + 1) * span; ++c) {
        index_.blocks_[block + r * RegionIndex::kBlockCells + c] = word;
      }
    }
  }

  // A word at `depth` covers a square of top cells; internal words above the top level open up.
  void fill_top_cells(std::uint32_t word, int depth, std::uint32_t column, std::uint32_t row) {
    if (RegionIndex::tag(word) == RegionIndex::kInternal && depth < index_.top_level_) {
      for (std::uint32_t quadrant = 0; quadrant < 4; ++quadrant) {
        fill_top_cells(index_.nodes_[RegionIndex::payload(word) + quadrant], depth + 1,
                       column * 2 + (quadrant & 1u), row * 2 + (quadrant >> 1));
      }
      return;
    }
    const std::uint32_t span = 1u << (index_.top_level_ - depth);
    for (std::uint32_t r = row * span; r < (row + 1) * span; ++r) {
      for (std::uint32_t c = column * span; c < (column + 1) * span; ++c) {
        index_.top_grid_[std::size_t{r} * index_.top_cells_ + c] = word;
      }
    }
  }

  const ExactRegions& regions_;
  const int max_depth_;
  std::vector<std::vector<Box>> segment_boxes_;  // per region
  std::vector<Candidate> candidates_;            // a stack: each cell's, above its parent's
  std::vector<std::uint32_t> segments_;          // a stack of segment numbers, as candidates_
  RegionIndex index_;
};

RegionIndex RegionIndex::build(const ExactRegions& regions, int max_depth) {
  return RegionIndexBuilder(regions, max_depth).build();
}

std::size_t RegionIndex::memory_bytes() const {
  return sizeof(*this) + (top_grid_.capacity() + top_blocks_.capacity() + blocks_.capacity() +
                          nodes_.capacity() + candidates_.capacity()) *
                             sizeof(std::uint32_t);
}

bool RegionIndex::is_well_formed(std::size_t region_count) const {
  const auto word_ok = [&](std::uint32_t word, std::size_t position) {
    const std::uint32_t value = payload(word);
    switch (tag(word)) {
      case kInternal:
        return value >= position && std::size_t{value} + 4 <= nodes_.size();
      case kRegion:
        return value < region_count;
      case kBorder: {
        if (value >= candidates_.size()) return false;
        const std::size_t count = candidates_[value];
        if (count == 0 || value + 1 + count > candidates_.size()) return false;
        for (std::size_t i = 1; i <= count; ++i) {
          if ((candidates_[value + i] & ~kCoversCell) >= region_count) return false;
        }
        return true;
      }
      default:
        return true;
    }
  };
  for (const std::uint32_t word : top_grid_) {
    if (!word_ok(word, 0)) return false;
  }
  if (!top_blocks_.empty()) {
    if (top_blocks_.size() != top_grid_.size()) return false;
    for (std::size_t top = 0; top < top_grid_.size(); ++top) {
      if (tag(top_grid_[top]) == kInternal &&
          std::size_t{top_blocks_[top]} + kBlockCells * kBlockCells > blocks_.size()) {
        return false;
      }
    }
  }
  for (const std::uint32_t word : blocks_) {
    if (!word_ok(word, 0)) return false;
  }
  for (std::size_t position = 0; position < nodes_.size(); ++position) {
    if (!word_ok(nodes_[position], position + 1)) return false;
  }
  return true;
}

// The file: magic, format, the root square, the levels, then three arrays, then a checksum of
// everything before it so a damaged cache is rebuilt rather than believed.
namespace {

constexpr char kMagic[8] = {'M', 'E', 'T', 'E', 'O', 'R', 'I', 'X'};
constexpr std::uint32_t kFormat = 2;

class ChecksumWriter {
 public:
  explicit ChecksumWriter(std::ostream& out) : out_(out) {}
  template <typename T>
  void put(const T& value) {
    bytes(&value, sizeof value);
  }
  void put_words(const std::vector<std::uint32_t>& words) {
    put(static_cast<std::uint64_t>(words.size()));
    bytes(words.data(), words.size() * sizeof(std::uint32_t));
  }
  void finish() {
    const std::uint64_t checksum = checksum_.value();
    out_.write(reinterpret_cast<const char*>(&checksum), sizeof checksum);
  }

 private:
  void bytes(const void* data, std::size_t size) {
    checksum_.add(data, size);
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::ostream& out_;
  Fnv1a64 checksum_;  // over every byte written or read: the last word checks all before it
};

class ChecksumReader {
 public:
  explicit ChecksumReader(std::istream& in) : in_(in) {}
  template <typename T>
  bool get(T& value) {
    return bytes(&value, sizeof value);
  }
  bool get_words(std::vector<std::uint32_t>& words, std::uint64_t limit) {
    std::uint64_t count = 0;
    if (!get(count) || count > limit) return false;
    words.resize(count);
    return bytes(words.data(), count * sizeof(std::uint32_t));
  }
  bool verify() {
    std::uint64_t stored = 0;
    in_.read(reinterpret_cast<char*>(&stored), sizeof stored);
    return in_.gcount() == sizeof stored && stored == checksum_.value() && in_.peek() == EOF;
  }

 private:
  bool bytes(void* data, std::size_t size) {
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
    if (static_cast<std::size_t>(in_.gcount()) != size) return false;
    checksum_.add(data, size);
    return true;
  }
  std::istream& in_;
  Fnv1a64 checksum_;  // over every byte written or read: the last word checks all before it
};

}  // namespace

void RegionIndex::save(std::ostream& out) const {
  ChecksumWriter writer(out);
  writer.put(kMagic);
  writer.put(kFormat);
  writer.put(origin_x_);
  writer.put(origin_y_);
  writer.put(size_);
  writer.put(static_cast<std::int32_t>(top_level_));
  writer.put(static_cast<std::int32_t>(depth_));
  writer.put(static_cast<std::uint64_t>(border_leaves_));
  writer.put_words(top_grid_);
  writer.put_words(top_blocks_);
  writer.put_words(blocks_);
  writer.put_words(nodes_);
  writer.put_words(candidates_);
  writer.finish();
}

std::optional<RegionIndex> RegionIndex::load(std::istream& in) {
  constexpr std::uint64_t kMaxWords = std::uint64_t{1} << 30;
  ChecksumReader reader(in);
  char magic[8] = {};
  std::uint32_t format = 0;
  std::int32_t top_level = 0, depth = 0;
  std::uint64_t border_leaves = 0;
  RegionIndex index;
  if (!reader.get(magic) || std::memcmp(magic, kMagic, sizeof magic) != 0) return std::nullopt;
  if (!reader.get(format) || format != kFormat) return std::nullopt;
  if (!reader.get(index.origin_x_) || !reader.get(index.origin_y_) || !reader.get(index.size_) ||
      !reader.get(top_level) || !reader.get(depth) || !reader.get(border_leaves) || top_level < 0 ||
      top_level > 8 || depth < 0 || depth > 64) {
    return std::nullopt;
  }
  if (!reader.get_words(index.top_grid_, kMaxWords) ||
      !reader.get_words(index.top_blocks_, kMaxWords) ||
      !reader.get_words(index.blocks_, kMaxWords) || !reader.get_words(index.nodes_, kMaxWords) ||
      !reader.get_words(index.candidates_, kMaxWords) || !reader.verify()) {
    return std::nullopt;
  }
  index.top_level_ = top_level;
  index.depth_ = depth;
  index.border_leaves_ = border_leaves;
  index.top_cells_ = 1u << top_level;
  index.top_cell_size_ = std::ldexp(index.size_, -top_level);
  index.top_scale_ = index.size_ > 0 ? 1 / index.top_cell_size_ : 0;
  if (index.top_grid_.size() != std::size_t{index.top_cells_} * index.top_cells_) {
    return std::nullopt;
  }
  return index;
}

}  // namespace meteo::geo_detail
